// Per-key token buckets in memory (per process: with N processes the effective limit is N×).
// Keys are token device ids or socket addresses, never a client-supplied forwarding header.

export interface RateLimit {
  /** Sustained requests per minute. */
  perMinute: number;
  /** Bucket size: requests allowed in a burst. */
  burst: number;
}

export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    readonly limit: RateLimit,
    readonly now: () => number,
  ) {}

  /** Take `cost` tokens for `key`. @returns 0 when allowed, else the seconds to wait (Retry-After). */
  take(key: string, cost = 1): number {
    const now = this.now();
    const rate = this.limit.perMinute / 60_000;
    const b = this.#buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    b.tokens = Math.min(this.limit.burst, b.tokens + (now - b.at) * rate);
    b.at = now;
    if (this.#buckets.size > 50_000) this.#sweep(now);
    this.#buckets.set(key, b);
    const need = Math.min(cost, this.limit.burst);
    if (b.tokens >= need) {
      b.tokens -= need;
      return 0;
    }
    return Math.max(1, Math.ceil((need - b.tokens) / rate / 1000));
  }

  #sweep(now: number) {
    const full = this.limit.burst / (this.limit.perMinute / 60_000);
    for (const [k, b] of this.#buckets) if (now - b.at > full) this.#buckets.delete(k);
  }
}
