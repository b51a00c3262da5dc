import fs from 'node:fs';
import { median } from '../bench/bench-util.js';

/** A reading at `atMs`, milliseconds since the load began. */
export type MemorySample = { atMs: number; mb: number };

export type MemoryGrowth = {
  firstMb: number;
  lastMb: number;
  growthPct: number;
  firstSamples: number;
  lastSamples: number;
  maxMb: number;
};

/** The resident set of a process, in MB (VmRSS of /proc/<pid>/status); undefined once it is gone. */
export function readRssMb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** The resident set's parts, in MB: anonymous (heaps, caches), file-backed and shared memory. */
export type RssParts = { anonMb: number; fileMb: number; shmemMb: number };

/** RssAnon, RssFile and RssShmem of /proc/<pid>/status; undefined once the process is gone. */
export function readRssParts(pid: number): RssParts | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const mb = (name: string) =>
      Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1]) / 1024;
    return { anonMb: mb('RssAnon'), fileMb: mb('RssFile'), shmemMb: mb('RssShmem') };
  } catch {
    return undefined;
  }
}

/**
 * Growth from the median of the samples in the first window after the warm-up to the median
 * of the last window: one garbage collection's spike or dip does not decide. The maximum is
 * over every sample, the warm-up's included.
 */
export function memoryGrowth(
  samples: readonly MemorySample[],
  warmUpMs: number,
  endMs: number,
  windowMs: number,
): MemoryGrowth {
  const within = (from: number, to: number) =>
    samples.filter((s) => s.atMs >= from && s.atMs <= to).map((s) => s.mb);
  const first = within(warmUpMs, warmUpMs + windowMs);
  const last = within(endMs - windowMs, endMs);
  const firstMb = first.length ? median(first) : Number.NaN;
  const lastMb = last.length ? median(last) : Number.NaN;
  return {
    firstMb,
    lastMb,
    growthPct: ((lastMb - firstMb) / firstMb) * 100,
    firstSamples: first.length,
    lastSamples: last.length,
    maxMb: Math.max(...samples.map((s) => s.mb)),
  };
}

/** The median of each `stepMs` from the start: how the figure moved over the run. */
export function mediansBy(
  samples: readonly MemorySample[],
  stepMs: number,
  endMs: number,
): number[] {
  const medians: number[] = [];
  for (let from = 0; from < endMs; from += stepMs) {
    const within = samples.filter((s) => s.atMs >= from && s.atMs < from + stepMs).map((s) => s.mb);
    medians.push(within.length ? median(within) : Number.NaN);
  }
  return medians;
}

const FULL_GC =
  /^\[\d+:(0x[0-9a-f]+)\]\s+[\d.]+ ms: Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(/;

/**
 * The heap in use after each full collection, per thread, read from the lines
 * `node --trace-gc` prints: each isolate has its own, the main thread's first to appear,
 * then the click writer's worker.
 */
export class GcTrace {
  readonly #byIsolate = new Map<string, MemorySample[]>();

  /** Reads one line of the server's output; true when it was a GC line. */
  line(text: string, atMs: number): boolean {
    if (!text.startsWith('[')) return false;
    const isolate = /^\[\d+:(0x[0-9a-f]+)\]/.exec(text)?.[1];
    if (!isolate) return false;
    let samples = this.#byIsolate.get(isolate);
    if (!samples) {
      samples = [];
      this.#byIsolate.set(isolate, samples);
    }
    const full = FULL_GC.exec(text);
    if (full) samples.push({ atMs, mb: Number(full[2]) });
    return true;
  }

  /** The main thread's samples. */
  get main(): readonly MemorySample[] {
    return [...this.#byIsolate.values()][0] ?? [];
  }

  /** The click writer's (the second isolate to appear). */
  get worker(): readonly MemorySample[] {
    return [...this.#byIsolate.values()][1] ?? [];
  }
}
