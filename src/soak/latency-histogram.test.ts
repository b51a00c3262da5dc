import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './latency-histogram.js';

describe('LatencyHistogram', () => {
  it('gives percentiles within 1% of the exact ones', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 10_000; i += 1) h.record(i / 100); // 0.01 … 100 ms
    expect(h.count).toBe(10_000);
    for (const [p, exact] of [
      [50, 50],
      [95, 95],
      [99, 99],
    ] as const) {
      expect(Math.abs(h.percentile(p) - exact) / exact).toBeLessThanOrEqual(0.01);
    }
    expect(h.percentile(100)).toBe(100);
  });

  it('never reports a percentile above the slowest request, and NaN when empty', () => {
    const h = new LatencyHistogram();
    expect(h.percentile(50)).toBeNaN();
    h.record(0.001);
    h.record(3.3);
    expect(h.percentile(99)).toBe(3.3);
    expect(h.percentile(50)).toBeLessThanOrEqual(0.01);
    h.record(10_000_000);
    expect(h.maxMs).toBe(10_000_000);
    expect(h.percentile(100)).toBeLessThanOrEqual(10_000_000);
  });
});
