import { describe, expect, it } from 'vitest';
import { GcTrace, memoryGrowth, readRssMb, readRssParts } from './memory.js';

describe('memoryGrowth', () => {
  it('compares the median of the first window after the warm-up with the median of the last', () => {
    // Warm-up to 60 s, windows of 60 s, a sample every 2 s over 600 s: 100 MB, then 104 MB
    // in the last minute, and one spike the medians ignore.
    const samples = Array.from({ length: 301 }, (_, k) => ({
      atMs: k * 2000,
      mb: k === 40 ? 400 : k * 2000 >= 540_000 ? 104 : 100,
    }));
    const growth = memoryGrowth(samples, 60_000, 600_000, 60_000);
    expect(growth.firstMb).toBe(100);
    expect(growth.lastMb).toBe(104);
    expect(growth.growthPct).toBeCloseTo(4);
    expect(growth.maxMb).toBe(400);
    expect(growth.firstSamples).toBe(31);
  });
});

describe('GcTrace', () => {
  it('keeps the heap after each full GC, the main thread apart from the worker', () => {
    const trace = new GcTrace();
    const lines = [
      '[7:0x1f0a80e0]       24 ms: Scavenge 3.8 (4.0) -> 3.4 (5.0) MB, 4.87 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure; ',
      '[7:0x7fb698000f00]   369 ms: Mark-Compact 24.1 (54.4) -> 5.1 (39.4) MB, 4.79 / 0.00 ms  (+ 0.0 ms in 1 steps) finalize incremental marking',
      '[7:0x1f0a80e0]      655 ms: Mark-Compact 47.3 (80.0) -> 11.8 (46.0) MB, 19.71 / 0.01 ms  (+ 8.6 ms in 4 steps) finalize incremental marking',
      '[7:0x1f0a80e0]      900 ms: Mark-Compact (reduce) 20.0 (40.0) -> 9.5 (30.0) MB, 3.00 / 0.00 ms  (average mu = 0.9) idle notification',
    ];
    for (const [k, line] of lines.entries()) expect(trace.line(line, k * 1000)).toBe(true);
    expect(trace.line('affnet is listening on http://127.0.0.1:1234', 0)).toBe(false);
    expect(trace.main).toEqual([
      { atMs: 2000, mb: 11.8 },
      { atMs: 3000, mb: 9.5 },
    ]);
    expect(trace.worker).toEqual([{ atMs: 1000, mb: 5.1 }]);
  });
});

describe('readRssParts', () => {
  it("splits this process's resident set into parts that add up to it", () => {
    const parts = readRssParts(process.pid);
    const rss = readRssMb(process.pid);
    expect(parts && rss).toBeTruthy();
    if (!parts || rss === undefined) return;
    expect(parts.anonMb).toBeGreaterThan(0);
    // Read a moment apart: within a few MB of each other.
    expect(Math.abs(parts.anonMb + parts.fileMb + parts.shmemMb - rss)).toBeLessThan(8);
  });
  it('answers undefined for a process that is gone', () => {
    expect(readRssParts(2 ** 30)).toBeUndefined();
  });
});
