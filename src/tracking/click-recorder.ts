import type { Logger } from '../log.js';
import type { ClickEvent } from './click.js';
import type { ClickSpill } from './click-spill.js';
import type { ClickWriter } from './click-writer.js';

export type RecorderOptions = {
  /** Clicks held in memory (buffered and being written) before the buffer spills to disk. */
  capacity?: number;
  /** A flush starts as soon as this many clicks wait… */
  batchSize?: number;
  /** …and at the latest this long after the previous one: the crash-loss window. */
  flushIntervalMs?: number;
};

const REPLAY_CHECK_MS = 5000;

/**
 * Takes clicks from the redirect without ever making it wait: `record` only appends to an
 * array. Batches go to the writer by size or every 200 ms, one at a time. When writing falls
 * behind and memory holds `capacity` clicks, the buffer is appended to the spill file and
 * cleared; a failed write is spilled too. Spills are replayed once the writer is idle.
 */
export class ClickRecorder {
  readonly #writer: ClickWriter;
  readonly #spill: ClickSpill;
  readonly #log: Logger;
  readonly #capacity: number;
  readonly #batchSize: number;
  readonly #flushIntervalMs: number;
  #buffer: ClickEvent[] = [];
  #inFlight = 0;
  #flushing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastReplayCheck = 0;
  readonly counts = { recorded: 0, written: 0, spilled: 0 };

  constructor(writer: ClickWriter, spill: ClickSpill, log: Logger, options: RecorderOptions = {}) {
    this.#writer = writer;
    this.#spill = spill;
    this.#log = log;
    this.#capacity = options.capacity ?? 50_000;
    this.#batchSize = options.batchSize ?? 2000;
    this.#flushIntervalMs = options.flushIntervalMs ?? 200;
  }

  /** Replays what earlier runs spilled, then flushes on a timer. */
  async start(): Promise<void> {
    await this.replaySpill();
    this.#timer = setInterval(() => void this.flush(), this.#flushIntervalMs);
    this.#timer.unref();
  }

  record(click: ClickEvent): void {
    this.#buffer.push(click);
    this.counts.recorded += 1;
    if (this.#buffer.length + this.#inFlight >= this.#capacity) {
      this.#spillBuffer();
    } else if (this.#buffer.length >= this.#batchSize && !this.#flushing) {
      void this.flush();
    }
  }

  /** Clicks waiting in memory, not yet handed to the writer. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /** Writes what is buffered, one batch at a time; concurrent callers share the flush. */
  flush(): Promise<void> {
    this.#flushing ??= this.#flushAll().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async replaySpill(): Promise<number> {
    const replayed = await this.#spill.replay((clicks) =>
      this.#writer.write(clicks, { replay: true }),
    );
    this.counts.written += replayed;
    return replayed;
  }

  /** Stops the timer, writes everything buffered and spilled, and closes the writer. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
    await this.replaySpill();
    await this.#writer.close();
  }

  async #flushAll(): Promise<void> {
    while (this.#buffer.length > 0) {
      const batch = this.#buffer.splice(0, this.#batchSize * 2);
      this.#inFlight = batch.length;
      try {
        this.counts.written += await this.#writer.write(batch);
      } catch (error) {
        this.#log.error(
          { err: error, clicks: batch.length },
          'click write failed; spilling the batch',
        );
        this.#spill.append(batch);
        this.counts.spilled += batch.length;
        return; // the database is in trouble: let the next tick try again
      } finally {
        this.#inFlight = 0;
      }
    }
    // A monotonic timer, not business time: how often to look for spill files.
    if (performance.now() - this.#lastReplayCheck > REPLAY_CHECK_MS) {
      this.#lastReplayCheck = performance.now();
      if (this.#spill.pending().length > 0) {
        await this.replaySpill().catch((error: unknown) =>
          this.#log.error({ err: error }, 'click spill replay failed; will retry'),
        );
      }
    }
  }

  #spillBuffer(): void {
    const batch = this.#buffer;
    this.#buffer = [];
    this.#spill.append(batch);
    this.counts.spilled += batch.length;
    this.#log.warn({ clicks: batch.length }, 'click buffer full: spilled to disk');
  }
}
