import { failureKind } from './http-client.js';
import { LatencyHistogram } from './latency-histogram.js';

/** What a request's check found: undefined when the answer is the expected one, else the error's kind. */
export type Verdict = string | undefined;

/**
 * One stream's requests: how many were sent and answered as expected, errors by kind (an
 * unexpected status, a network error, a timeout, a wrong body), and the latency of the
 * expected answers to requests started after the warm-up.
 */
export class StreamStats {
  sent = 0;
  ok = 0;
  /** Expected answers to requests started after the warm-up: the achieved rate. */
  measuredOk = 0;
  inFlight = 0;
  maxInFlight = 0;
  readonly errors = new Map<string, number>();
  readonly latency = new LatencyHistogram();

  constructor(
    readonly name: string,
    readonly targetPerS: number,
    /** More requests than this waiting for an answer: the next one is not sent, and counts as an error. */
    readonly inFlightLimit: number,
  ) {}

  /** Starts `call` (the request and its check) without waiting for it. */
  track(call: () => Promise<Verdict>, measured: boolean): void {
    if (this.inFlight >= this.inFlightLimit) {
      this.error(`client: over ${this.inFlightLimit} in flight, not sent`);
      return;
    }
    this.sent += 1;
    this.inFlight += 1;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
    const startedMs = performance.now();
    call()
      .then(
        (verdict) => {
          if (verdict !== undefined) return this.error(verdict);
          this.ok += 1;
          if (!measured) return;
          this.measuredOk += 1;
          this.latency.record(performance.now() - startedMs);
        },
        (error: unknown) => this.error(failureKind(error)),
      )
      .finally(() => {
        this.inFlight -= 1;
      });
  }

  error(kind: string): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }

  get errorCount(): number {
    let total = 0;
    for (const n of this.errors.values()) total += n;
    return total;
  }

  /** Resolves once nothing is in flight, or after `maxMs` (what is still in flight then is counted as errors). */
  async drained(maxMs: number): Promise<void> {
    const until = performance.now() + maxMs;
    while (this.inFlight > 0 && performance.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 50));
    if (this.inFlight > 0) this.errors.set('no answer by the end', this.inFlight);
  }
}
