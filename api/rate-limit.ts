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

  /** Takes one token for `key`; returns the milliseconds to wait when there is none (0 = allowed). */
  take(key: string): number {
    if (this.perMinute === 0) return 0;
    const t = this.now();
    if (t - this.lastSweep > 60_000) this.sweep(t);
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: t };
    b.tokens = Math.min(this.capacity, b.tokens + Math.max(0, t - b.at) * this.refillPerMs);
    b.at = t;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / this.refillPerMs);
  }

  private sweep(t: number): void {
    this.lastSweep = t;
    const fullAfterMs = this.capacity / this.refillPerMs;
    for (const [key, b] of this.buckets) if (t - b.at > fullAfterMs) this.buckets.delete(key);
  }
}
