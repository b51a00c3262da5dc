/**
 * Calls per app_key, as a token bucket per key in this process: `perSecond` on average,
 * bursts up to `burst`. Time is a monotonic clock in ms, passed in (tests drive it). At
 * most `maxKeys` buckets are kept; the least recently used leaves first.
 */
export class RateLimiter {
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #maxKeys: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(options: { perSecond: number; burst: number; maxKeys?: number }) {
    this.#perSecond = options.perSecond;
    this.#burst = options.burst;
    this.#maxKeys = options.maxKeys ?? 100_000;
  }

  /** Takes one call from the key's bucket; false when it is empty. */
  take(key: string, nowMs: number): boolean {
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, at: nowMs };
    this.#buckets.delete(key);
    bucket.tokens = Math.min(
      this.#burst,
      bucket.tokens + ((nowMs - bucket.at) / 1000) * this.#perSecond,
    );
    bucket.at = nowMs;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > this.#maxKeys)
      this.#buckets.delete(this.#buckets.keys().next().value as string);
    return allowed;
  }
}
