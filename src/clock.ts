/** The one source of time. Services take a Clock (or a `now`) instead of calling `new Date()`. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to: for tests, the demo and `--now` runs. */
export class ManualClock implements Clock {
  #ms: number;
  constructor(start: Date | string) {
    this.#ms = new Date(start).getTime();
    if (Number.isNaN(this.#ms)) throw new Error(`ManualClock: invalid start ${String(start)}`);
  }
  now(): Date {
    return new Date(this.#ms);
  }
  set(at: Date | string): void {
    this.#ms = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.#ms += ms;
  }
}

export const DAY_MS = 86_400_000;

/**
 * The wall clock moved ahead by an offset that only grows: the demo server's clock, which
 * `affnet simulate` advances a day at a time while the server keeps running.
 */
export class OffsetClock implements Clock {
  #offsetMs: number;
  readonly #wall: Clock;
  constructor(offsetMs = 0, wall: Clock = systemClock) {
    if (!Number.isSafeInteger(offsetMs) || offsetMs < 0)
      throw new RangeError(
        `OffsetClock: the offset must be a whole number of ms ≥ 0, not ${offsetMs}`,
      );
    this.#offsetMs = offsetMs;
    this.#wall = wall;
  }
  now(): Date {
    return new Date(this.#wall.now().getTime() + this.#offsetMs);
  }
  get offsetMs(): number {
    return this.#offsetMs;
  }
  /** Moves the clock ahead; it never goes back. */
  advance(ms: number): void {
    if (!Number.isSafeInteger(ms) || ms <= 0)
      throw new RangeError(`OffsetClock: advance by a whole number of ms > 0, not ${ms}`);
    this.#offsetMs += ms;
  }
}
