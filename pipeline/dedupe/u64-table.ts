/**
 * @module An open-addressing hash table from 64-bit keys (two uint32 halves) to int32 values, over
 * typed arrays: 12 bytes a slot, load kept at or below 1/2, so ≤ 24 bytes a key once sized —
 * where a JS Map of string keys costs well over 100. The dedupe index is built from these.
 */

const EMPTY = -1;

export class U64Table {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private values: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.values = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
  }

  /** Bytes held by the table's arrays. */
  get sizeBytes(): number {
    return this.hi.byteLength + this.lo.byteLength + this.values.byteLength;
  }

  /** The value for a key, or -1. */
  get(hi: number, lo: number): number {
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const v = this.values[i] as number;
      if (v === EMPTY) return EMPTY;
      if (this.hi[i] === hi && this.lo[i] === lo) return v;
      i = (i + 1) & this.mask;
    }
  }

  /** Sets the key only if absent; returns the value now stored for it. */
  setIfAbsent(hi: number, lo: number, value: number): number {
    if ((this.size + 1) * 2 > this.values.length) this.grow();
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const v = this.values[i] as number;
      if (v === EMPTY) {
        this.hi[i] = hi;
        this.lo[i] = lo;
        this.values[i] = value;
        this.size++;
        return value;
      }
      if (this.hi[i] === hi && this.lo[i] === lo) return v;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const { hi, lo, values } = this;
    const cap = values.length * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.values = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
    this.size = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v !== EMPTY) this.setIfAbsent(hi[i] as number, lo[i] as number, v);
    }
  }
}
