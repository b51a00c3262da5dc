import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log.js';
import type { ClickEvent } from './click.js';
import { encodeClick } from './click-line.js';

export const MAX_SPILL_BYTES = 1024 ** 3;
const REPLAY_CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

/**
 * Where clicks go when the in-memory buffer is full (the database is slower than the
 * traffic, or down): an append-only file per process of click lines (click-line.ts),
 * replayed into the database when it catches up and at every start. Replays are idempotent
 * (click ids are keys). A line cut short by a crash mid-append is skipped with a warning.
 * Past 1 GiB of spill, further clicks are dropped and counted in the log: the disk stays
 * bounded too. Files of the earlier JSON-lines format (.ndjson) are replayed as well.
 */
export class ClickSpill {
  readonly #dir: string;
  #file: string;
  readonly #log: Logger;
  #bytes = 0;
  dropped = 0;

  constructor(dataDir: string, log: Logger) {
    this.#dir = path.join(dataDir, 'click-spill');
    this.#file = this.#newFile();
    this.#log = log;
  }

  /** Appends synchronously: called only under overload, and a click must not wait in memory. */
  append(lines: Uint8Array, count: number): void {
    if (count === 0) return;
    if (this.#bytes + lines.length > MAX_SPILL_BYTES) {
      this.dropped += count;
      this.#log.error({ dropped: this.dropped }, 'click spill is full: clicks dropped');
      return;
    }
    fs.mkdirSync(this.#dir, { recursive: true });
    fs.appendFileSync(this.#file, lines);
    this.#bytes += lines.length;
  }

  #newFile(): string {
    return path.join(
      this.#dir,
      `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.clicks`,
    );
  }

  /** Spill files this process may replay: its own, and those of processes no longer running. */
  pending(): string[] {
    if (!fs.existsSync(this.#dir)) return [];
    return fs
      .readdirSync(this.#dir)
      .filter((name) => name.endsWith('.clicks') || name.endsWith('.ndjson'))
      .filter((name) => {
        const pid = Number(name.split('-')[0]);
        return pid === process.pid || !isRunning(pid);
      })
      .sort()
      .map((name) => path.join(this.#dir, name));
  }

  /** Writes every pending spill file through `write`, deleting each once it is stored. */
  async replay(write: (lines: Buffer) => Promise<number>): Promise<number> {
    let replayed = 0;
    const files = this.pending();
    // Spills from now on go to a fresh file, so the ones being replayed stop growing.
    if (files.includes(this.#file)) {
      this.#file = this.#newFile();
      this.#bytes = 0;
    }
    for (const file of files) {
      const bytes = file.endsWith('.ndjson') ? fromJsonLines(file) : fs.readFileSync(file);
      // Whole lines only: a last line without its newline was cut short by a crash.
      const end = bytes.lastIndexOf(NEWLINE) + 1;
      if (end < bytes.length)
        this.#log.warn(
          { file, bytes: bytes.length - end },
          'click spill: skipped a torn last line',
        );
      let clicks = 0;
      for (let start = 0; start < end; ) {
        const stop = Math.min(end, bytes.indexOf(NEWLINE, start + REPLAY_CHUNK_BYTES) + 1 || end);
        clicks += await write(bytes.subarray(start, stop));
        start = stop;
      }
      replayed += clicks;
      fs.rmSync(file, { force: true });
      this.#log.info({ file, clicks }, 'click spill replayed');
    }
    return replayed;
  }
}

/** A spill file of an earlier version, one JSON object per line, as click lines. */
function fromJsonLines(file: string): Buffer {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  // As above: a last line cut short by a crash is left out.
  const whole = lines.slice(0, -1).filter(Boolean);
  return Buffer.from(whole.map((line) => encodeClick(JSON.parse(line) as ClickEvent)).join(''));
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
