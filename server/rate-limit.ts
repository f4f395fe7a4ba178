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

  /** Take one token for `key`. @returns 0 when allowed, else the seconds to wait (Retry-After). */
  take(key: string): number {
    const now = this.now();
    const rate = this.limit.perMinute / 60_000;
    const b = this.#buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    b.tokens = Math.min(this.limit.burst, b.tokens + (now - b.at) * rate);
    b.at = now;
    if (this.#buckets.size > 50_000) this.#sweep(now);
    this.#buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }

  #sweep(now: number) {
    const full = this.limit.burst / (this.limit.perMinute / 60_000);
    for (const [k, b] of this.#buckets) if (now - b.at > full) this.#buckets.delete(k);
  }
}
