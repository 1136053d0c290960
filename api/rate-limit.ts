/**
 * @module Token-bucket rate limits keyed by caller (an IP, a wallet): `perMinute` tokens refill
 * continuously, and a burst of up to `perMinute / 4` (at least 10) is allowed. Buckets idle long
 * enough to be full again are dropped, so memory tracks active callers only.
 */

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly capacity: number;
  private readonly refillPerMs: number;
  private lastSweep = 0;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.capacity = Math.max(10, Math.ceil(perMinute / 4));
    this.refillPerMs = perMinute / 60_000;
  }

  /** Whether a request costing `cost` can ever pass: a cost above the burst could not be paid by waiting. */
  fits(cost: number): boolean {
    return this.perMinute === 0 || cost <= this.capacity;
  }

  /** The most one request may cost (the burst); Infinity when the limit is off. */
  get burst(): number {
    return this.perMinute === 0 ? Number.POSITIVE_INFINITY : this.capacity;
  }

  /**
   * Takes `cost` tokens for `key` (a request that does `cost` things at once); returns the
   * milliseconds to wait when there are not enough (0 = allowed; nothing is taken then). Check
   * `fits(cost)` first: a cost above the burst is charged as the whole burst.
   */
  take(key: string, cost = 1): number {
    if (this.perMinute === 0) return 0;
    const t = this.now();
    if (t - this.lastSweep > 60_000) this.sweep(t);
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: t };
    b.tokens = Math.min(this.capacity, b.tokens + Math.max(0, t - b.at) * this.refillPerMs);
    b.at = t;
    this.buckets.set(key, b);
    const need = Math.min(cost, this.capacity);
    if (b.tokens >= need) {
      b.tokens -= need;
      return 0;
    }
    return Math.ceil((need - b.tokens) / this.refillPerMs);
  }

  private sweep(t: number): void {
    this.lastSweep = t;
    const fullAfterMs = this.capacity / this.refillPerMs;
    for (const [key, b] of this.buckets) if (t - b.at > fullAfterMs) this.buckets.delete(key);
  }
}
