/**
 * @module The dedupe index: exact keys (64-bit prefix of the normalised-text hash) and LSH bands
 * (FineWeb's 14 bands × 8 rows by default), each an open-addressing U64Table, plus 12 bytes of
 * doc id per cluster root. Cost: ≈ 24 bytes per key per table at load ≤ 1/2, i.e. about
 * (bands + 1) × 24 + 16 bytes per kept document — 376 bytes with 14 bands (see bench/dedupe.ts).
 *
 * Every decision is appended to a log, which `flushLog` writes out; replaying the log rebuilds
 * the index after a crash. Replayed docs recognise themselves by id, so re-processing the
 * segment after a checkpoint gives the same verdicts.
 */
import { createHash } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { fmix32 } from '../../common/index.js';
import { U64Table } from './u64-table.js';

export type DedupeVerdict = { kind: 'unique'; root: number } | { kind: 'exact' | 'near'; root: number; rootId: string };

const ID_BYTES = 12;
const KIND = { unique: 1, near: 2, exact: 3 } as const;

/** Cluster-size buckets for the report: how many clusters of each size the run saw. */
export function clusterBucket(size: number): string {
  if (size <= 4) return String(size);
  if (size <= 9) return '5-9';
  if (size <= 99) return '10-99';
  return '100+';
}

export class DedupeIndex {
  readonly bands: number;
  readonly rows: number;
  private readonly exact: U64Table;
  private readonly bandTables: U64Table[];
  private ids: Uint8Array;
  private clusterSizes: Uint32Array;
  private roots = 0;
  private log: Buffer[] = [];
  private readonly recordBytes: number;

  constructor(opts: { bands: number; rows: number; expectedDocs: number }) {
    this.bands = opts.bands;
    this.rows = opts.rows;
    this.exact = new U64Table(opts.expectedDocs);
    this.bandTables = Array.from({ length: opts.bands }, () => new U64Table(opts.expectedDocs));
    this.ids = new Uint8Array(Math.max(16, opts.expectedDocs) * ID_BYTES);
    this.clusterSizes = new Uint32Array(Math.max(16, opts.expectedDocs));
    this.recordBytes = 4 + ID_BYTES + 4 + 8 + opts.bands * 8;
  }

  /** Cluster roots held. */
  get size(): number {
    return this.roots;
  }

  /** Bytes held by the index's typed arrays. */
  get sizeBytes(): number {
    return this.exact.sizeBytes + this.bandTables.reduce((a, t) => a + t.sizeBytes, 0) + this.ids.byteLength + this.clusterSizes.byteLength;
  }

  /**
   * Classifies a doc and records it. `exactHex` is its normalised-text hash (≥ 16 hex chars);
   * `signature` its MinHash (bands × rows values), absent for docs too short to shingle.
   * `onClusterGrew(before, after)` reports cluster-size changes for the counters.
   */
  classify(id: string, exactHex: string, signature: Uint32Array | undefined, onClusterGrew?: (before: number, after: number) => void): DedupeVerdict {
    const idBytes = idToBytes(id);
    const eHi = parseInt(exactHex.slice(0, 8), 16) >>> 0;
    const eLo = parseInt(exactHex.slice(8, 16), 16) >>> 0;
    const bandKeys = signature ? this.bandKeys(signature) : undefined;
    const rootsBefore = this.roots;
    const verdict = this.decide(idBytes, eHi, eLo, bandKeys);
    const seenBefore = verdict.kind === 'unique' && this.roots === rootsBefore;
    // A doc recognised as itself (re-read after a resume) is already in the log and the sizes.
    if (seenBefore) return verdict;
    this.appendLog(verdict.kind, idBytes, verdict.root, eHi, eLo, bandKeys);
    if (verdict.kind !== 'unique') {
      const before = this.clusterSizes[verdict.root] ?? 1;
      this.clusterSizes[verdict.root] = before + 1;
      onClusterGrew?.(before, before + 1);
    }
    return verdict;
  }

  private decide(idBytes: Uint8Array, eHi: number, eLo: number, bandKeys: Uint32Array | undefined): DedupeVerdict {
    const e = this.exact.get(eHi, eLo);
    if (e >= 0) {
      // The same doc seen again after a resume is itself, not its own duplicate.
      if (this.sameId(e, idBytes)) return { kind: 'unique', root: e };
      return { kind: 'exact', root: e, rootId: this.idAt(e) };
    }
    if (bandKeys) {
      for (let b = 0; b < this.bands; b++) {
        const r = (this.bandTables[b] as U64Table).get(bandKeys[2 * b] as number, bandKeys[2 * b + 1] as number);
        if (r >= 0 && !this.sameId(r, idBytes)) {
          this.insertKeys(r, eHi, eLo, bandKeys);
          return { kind: 'near', root: r, rootId: this.idAt(r) };
        }
      }
    }
    const root = this.addRoot(idBytes);
    this.insertKeys(root, eHi, eLo, bandKeys);
    return { kind: 'unique', root };
  }

  /** Appends the decisions since the last flush to `path`. */
  async flushLog(path: string): Promise<void> {
    if (this.log.length === 0) return;
    const chunk = Buffer.concat(this.log);
    this.log = [];
    await appendFile(path, chunk);
  }

  /** Rebuilds an index from a log written by `flushLog`. */
  static async fromLog(path: string, opts: { bands: number; rows: number; expectedDocs: number }): Promise<DedupeIndex> {
    const index = new DedupeIndex(opts);
    const buf = await readFile(path).catch(() => Buffer.alloc(0));
    const n = Math.floor(buf.length / index.recordBytes);
    for (let i = 0; i < n; i++) {
      const rec = buf.subarray(i * index.recordBytes, (i + 1) * index.recordBytes);
      const kind = rec.readUInt8(0);
      const idBytes = new Uint8Array(rec.subarray(4, 4 + ID_BYTES));
      const root = rec.readUInt32LE(16);
      const eHi = rec.readUInt32LE(20);
      const eLo = rec.readUInt32LE(24);
      const hasBands = rec.readUInt8(1) === 1;
      const bandKeys = hasBands ? new Uint32Array(opts.bands * 2) : undefined;
      if (bandKeys) for (let k = 0; k < bandKeys.length; k++) bandKeys[k] = rec.readUInt32LE(28 + 4 * k);
      if (kind === KIND.unique) {
        const r = index.addRoot(idBytes);
        index.insertKeys(r, eHi, eLo, bandKeys);
      } else {
        if (kind === KIND.near) index.insertKeys(root, eHi, eLo, bandKeys);
        index.clusterSizes[root] = (index.clusterSizes[root] ?? 1) + 1;
      }
    }
    return index;
  }

  private bandKeys(sig: Uint32Array): Uint32Array {
    const keys = new Uint32Array(this.bands * 2);
    for (let b = 0; b < this.bands; b++) {
      let h1 = 0x3c6ef372 ^ b;
      let h2 = 0xa54ff53a ^ Math.imul(b, 0x27d4eb2f);
      for (let r = 0; r < this.rows; r++) {
        const v = sig[b * this.rows + r] as number;
        h1 = fmix32(h1 ^ v) + r;
        h2 = fmix32(Math.imul(h2 + r, 0x165667b1) ^ v);
      }
      keys[2 * b] = h1 >>> 0;
      keys[2 * b + 1] = h2 >>> 0;
    }
    return keys;
  }

  private insertKeys(root: number, eHi: number, eLo: number, bandKeys: Uint32Array | undefined): void {
    this.exact.setIfAbsent(eHi, eLo, root);
    if (!bandKeys) return;
    for (let b = 0; b < this.bands; b++) (this.bandTables[b] as U64Table).setIfAbsent(bandKeys[2 * b] as number, bandKeys[2 * b + 1] as number, root);
  }

  private addRoot(idBytes: Uint8Array): number {
    const root = this.roots++;
    if ((root + 1) * ID_BYTES > this.ids.length) {
      const grown = new Uint8Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
      const sizes = new Uint32Array(this.clusterSizes.length * 2);
      sizes.set(this.clusterSizes);
      this.clusterSizes = sizes;
    }
    this.ids.set(idBytes, root * ID_BYTES);
    this.clusterSizes[root] = 1;
    return root;
  }

  private sameId(root: number, idBytes: Uint8Array): boolean {
    const off = root * ID_BYTES;
    for (let i = 0; i < ID_BYTES; i++) if (this.ids[off + i] !== idBytes[i]) return false;
    return true;
  }

  private idAt(root: number): string {
    return Buffer.from(this.ids.subarray(root * ID_BYTES, (root + 1) * ID_BYTES)).toString('hex');
  }

  private appendLog(kind: DedupeVerdict['kind'], idBytes: Uint8Array, root: number, eHi: number, eLo: number, bandKeys: Uint32Array | undefined): void {
    const rec = Buffer.alloc(this.recordBytes);
    rec.writeUInt8(KIND[kind], 0);
    rec.writeUInt8(bandKeys ? 1 : 0, 1);
    rec.set(idBytes, 4);
    rec.writeUInt32LE(root, 16);
    rec.writeUInt32LE(eHi, 20);
    rec.writeUInt32LE(eLo, 24);
    if (bandKeys) for (let k = 0; k < bandKeys.length; k++) rec.writeUInt32LE(bandKeys[k] as number, 28 + 4 * k);
    this.log.push(rec);
  }
}

/** Doc ids are 24 hex chars (96 bits); anything else is hashed down to 12 bytes. */
function idToBytes(id: string): Uint8Array {
  if (/^[0-9a-f]{24}$/.test(id)) return Uint8Array.from(Buffer.from(id, 'hex'));
  return Uint8Array.from(createHash('sha256').update(id).digest().subarray(0, ID_BYTES));
}
