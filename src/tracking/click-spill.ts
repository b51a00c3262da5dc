import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log.js';
import type { ClickEvent } from './click.js';

export const MAX_SPILL_BYTES = 1024 ** 3;
const REPLAY_CHUNK = 2000;

/**
 * Where clicks go when the in-memory buffer is full (the database is slower than the
 * traffic, or down): an append-only file per process, replayed into the database when it
 * catches up and at every start. Replays are idempotent (click ids are keys). Past 1 GiB
 * of spill, further clicks are dropped and counted in the log: the disk stays bounded too.
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
  append(clicks: readonly ClickEvent[]): void {
    if (clicks.length === 0) return;
    const text = `${clicks.map((c) => JSON.stringify(c)).join('\n')}\n`;
    if (this.#bytes + text.length > MAX_SPILL_BYTES) {
      this.dropped += clicks.length;
      this.#log.error({ dropped: this.dropped }, 'click spill is full: clicks dropped');
      return;
    }
    fs.mkdirSync(this.#dir, { recursive: true });
    fs.appendFileSync(this.#file, text);
    this.#bytes += text.length;
  }

  #newFile(): string {
    return path.join(
      this.#dir,
      `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.ndjson`,
    );
  }

  /** Spill files this process may replay: its own, and those of processes no longer running. */
  pending(): string[] {
    if (!fs.existsSync(this.#dir)) return [];
    return fs
      .readdirSync(this.#dir)
      .filter((name) => name.endsWith('.ndjson'))
      .filter((name) => {
        const pid = Number(name.split('-')[0]);
        return pid === process.pid || !isRunning(pid);
      })
      .sort()
      .map((name) => path.join(this.#dir, name));
  }

  /** Writes every pending spill file through `write`, deleting each once it is stored. */
  async replay(write: (clicks: ClickEvent[]) => Promise<number>): Promise<number> {
    let replayed = 0;
    const files = this.pending();
    // Spills from now on go to a fresh file, so the ones being replayed stop growing.
    if (files.includes(this.#file)) {
      this.#file = this.#newFile();
      this.#bytes = 0;
    }
    for (const file of files) {
      const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
      for (let start = 0; start < lines.length; start += REPLAY_CHUNK) {
        replayed += await write(
          lines.slice(start, start + REPLAY_CHUNK).map((line) => JSON.parse(line) as ClickEvent),
        );
      }
      fs.rmSync(file, { force: true });
      this.#log.info({ file, clicks: lines.length }, 'click spill replayed');
    }
    return replayed;
  }
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
