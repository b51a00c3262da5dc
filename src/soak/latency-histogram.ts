/** Buckets 1% wide from 10 µs: a percentile is off by at most 1%, whatever the run's length. */
const FLOOR_MS = 0.01;
const GROWTH = 1.01;
/** 10 µs × 1.01^2100 ≈ 12 minutes: anything slower lands in the last bucket. */
const BUCKETS = 2100;

/** Latencies in a fixed number of logarithmic buckets: bounded memory for any number of requests. */
export class LatencyHistogram {
  readonly #counts = new Uint32Array(BUCKETS);
  #total = 0;
  #maxMs = 0;

  record(ms: number): void {
    const index =
      ms <= FLOOR_MS
        ? 0
        : Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / FLOOR_MS) / Math.log(GROWTH)));
    this.#counts[index] = (this.#counts[index] ?? 0) + 1;
    this.#total += 1;
    if (ms > this.#maxMs) this.#maxMs = ms;
  }

  get count(): number {
    return this.#total;
  }

  get maxMs(): number {
    return this.#maxMs;
  }

  /** The upper edge of the bucket holding the p-th percentile (0 < p ≤ 100); NaN when empty. */
  percentile(p: number): number {
    if (this.#total === 0) return Number.NaN;
    const rank = Math.ceil((p / 100) * this.#total);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i += 1) {
      seen += this.#counts[i] ?? 0;
      if (seen >= rank) return Math.min(this.#maxMs, FLOOR_MS * GROWTH ** i);
    }
    return this.#maxMs;
  }
}
