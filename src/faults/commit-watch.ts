import { sleep } from './wait.js';

/** A read of the stored count, and when the read started (performance.now()). */
type Sample = { startedMs: number; count: number };

/**
 * Reads a growing count (the clicks stored) every `everyMs` until stopped, to see when the
 * server's writes commit. A commit seen by a read happened after the start of the read
 * before it, which did not see it: that start is the commit's lower bound.
 */
export function watchCommits(read: () => Promise<number>, everyMs: number) {
  const samples: Sample[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const startedMs = performance.now();
      const count = await read().catch(() => undefined);
      if (count !== undefined && !stopped) samples.push({ startedMs, count });
      await sleep(everyMs);
    }
  })();
  return {
    /** Stops reading (at the kill); resolves with the lower bounds of the commits seen. */
    async stop(): Promise<number[]> {
      stopped = true;
      await loop;
      const commits: number[] = [];
      for (let i = 1; i < samples.length; i += 1) {
        const [before, after] = [samples[i - 1] as Sample, samples[i] as Sample];
        if (after.count > before.count) commits.push(before.startedMs);
      }
      return commits;
    },
  };
}

/**
 * Where the clicks a kill may lose begin: a batch is taken only once the one before has
 * committed, so at the kill memory holds the batch being committed (taken at or after the
 * last commit but one) and what came in since. Clicks recorded before the last commit but
 * one seen were in a committed batch; none of them may be lost. undefined: fewer than two
 * commits were seen.
 */
export function inMemoryFrom(commits: readonly number[]): number | undefined {
  return commits.length >= 2 ? commits[commits.length - 2] : undefined;
}
