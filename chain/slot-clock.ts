/**
 * @module The localnet's slot clock and commitment levels. A validator makes a slot every ~400 ms;
 * a transaction is `processed` in the slot that runs it, `confirmed` once the cluster has voted on
 * that slot (here: as soon as a later slot exists), and `finalized` once the slot is rooted,
 * [FINALIZATION_DEPTH_SLOTS] behind the tip. The slot is computed from elapsed time when asked, so
 * there is no timer to keep the process alive; `slotMs: 0` stops time, and tests move it with
 * `advance(n)`.
 */

/** The three commitment levels of the Solana RPC, weakest first. */
export type CommitmentLevel = 'processed' | 'confirmed' | 'finalized';

/** A slot's commitment is at least the other's. */
export const COMMITMENT_RANK: Readonly<Record<CommitmentLevel, number>> = { processed: 0, confirmed: 1, finalized: 2 };

/**
 * Slots between a slot and its finalization. Tower BFT keeps MAX_LOCKOUT_HISTORY = 31 votes; a slot
 * is rooted when 31 votes are stacked on top of it, i.e. about 32 slots later with a vote per slot
 * (agave `vote_state`). That is why `finalized` lags `confirmed` by ~13 s on mainnet.
 */
export const FINALIZATION_DEPTH_SLOTS = 32;

/** A validator's target slot time (agave `DEFAULT_MS_PER_SLOT`). */
export const DEFAULT_SLOT_MS = 400;

export interface SlotClockOptions {
  /** Milliseconds per slot; 0 stops the clock (only `advance` moves it). */
  slotMs?: number;
  /** The slot the clock starts at (a restored chain's saved slot). */
  startSlot?: number;
  /** A monotonic millisecond clock; `performance.now` unless a test passes its own. */
  nowMs?: () => number;
}

export class SlotClock {
  readonly slotMs: number;
  private readonly nowMs: () => number;
  private readonly startMs: number;
  private readonly startSlot: number;
  private advanced = 0;

  constructor(opts: SlotClockOptions = {}) {
    const slotMs = opts.slotMs ?? DEFAULT_SLOT_MS;
    if (!Number.isFinite(slotMs) || slotMs < 0) throw new RangeError(`slotMs ${slotMs} must be a finite number ≥ 0`);
    this.slotMs = slotMs;
    this.nowMs = opts.nowMs ?? (() => performance.now());
    this.startMs = this.nowMs();
    this.startSlot = opts.startSlot ?? 1;
  }

  /** The current (processed) slot. */
  get slot(): number {
    const elapsed = this.slotMs > 0 ? Math.floor((this.nowMs() - this.startMs) / this.slotMs) : 0;
    return this.startSlot + this.advanced + elapsed;
  }

  /** Moves the clock `n` slots forward (on top of elapsed time when `slotMs` > 0). */
  advance(n: number): number {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`advanceSlots(${n}): n must be a non-negative integer`);
    this.advanced += n;
    return this.slot;
  }

  /** The newest slot that has reached `commitment`: the bank a validator answers from at that level. */
  slotAt(commitment: CommitmentLevel): number {
    const tip = this.slot;
    if (commitment === 'processed') return tip;
    if (commitment === 'confirmed') return Math.max(0, tip - 1);
    return Math.max(0, tip - FINALIZATION_DEPTH_SLOTS);
  }

  /** How far a transaction processed in `slot` has got. */
  commitmentOf(slot: number): CommitmentLevel {
    const tip = this.slot;
    if (tip >= slot + FINALIZATION_DEPTH_SLOTS) return 'finalized';
    return tip > slot ? 'confirmed' : 'processed';
  }
}
