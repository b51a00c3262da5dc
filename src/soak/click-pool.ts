/** An answered click whose id an order may carry. */
type Candidate = { clickId: string; answeredMs: number };

/** Clicks older than this have been written by the click writer (it flushes every 200 ms). */
export const STORED_AFTER_MS = 2000;
/** Older than this, a candidate is dropped: orders come a few seconds after their click. */
const STALE_AFTER_MS = 60_000;
const CAPACITY = 10_000;

/**
 * Click ids from the redirect's answers, kept for the orders: `take` hands out the oldest one
 * answered at least STORED_AFTER_MS ago, each at most once. A ring of CAPACITY: when full, a
 * new click replaces the oldest.
 */
export class ClickPool {
  readonly #ring: (Candidate | undefined)[] = new Array(CAPACITY);
  #head = 0;
  #size = 0;

  add(clickId: string, answeredMs: number): void {
    const tail = (this.#head + this.#size) % CAPACITY;
    this.#ring[tail] = { clickId, answeredMs };
    if (this.#size < CAPACITY) this.#size += 1;
    else this.#head = (this.#head + 1) % CAPACITY;
  }

  take(nowMs: number): string | undefined {
    while (this.#size > 0) {
      const oldest = this.#ring[this.#head] as Candidate;
      if (nowMs - oldest.answeredMs < STORED_AFTER_MS) return undefined;
      this.#ring[this.#head] = undefined;
      this.#head = (this.#head + 1) % CAPACITY;
      this.#size -= 1;
      if (nowMs - oldest.answeredMs <= STALE_AFTER_MS) return oldest.clickId;
    }
    return undefined;
  }

  get size(): number {
    return this.#size;
  }
}
