import { describe, expect, it } from 'vitest';
import { UNIQUE_WINDOW_MS } from './click.js';
import { UniqueWindow } from './unique-window.js';

const MIN = 60_000;

describe('the unique window', () => {
  it('remembers a visitor on a link for one hour, across generation changes', () => {
    const window = new UniqueWindow();
    const t0 = Date.UTC(2026, 10, 26, 10);
    window.set('a', t0);
    window.set('b', t0 + 59 * MIN);
    expect(window.get('a', t0 + 30 * MIN)).toBe(t0);
    // 61 minutes in, a new generation starts; b (2 minutes old) must still be known.
    window.set('c', t0 + 61 * MIN);
    expect(window.get('b', t0 + 61 * MIN)).toBe(t0 + 59 * MIN);
    expect(window.get('a', t0 + 61 * MIN)).toBeUndefined();
    expect(window.get('a', t0 + UNIQUE_WINDOW_MS - 1)).toBe(t0);
    window.set('e', t0 + 90 * MIN);
    // Two hours in: b's generation is gone, and it was past the window anyway; e is kept.
    window.set('d', t0 + 122 * MIN);
    expect(window.get('b', t0 + 122 * MIN)).toBeUndefined();
    expect(window.get('e', t0 + 122 * MIN)).toBe(t0 + 90 * MIN);
  });

  it('keeps the newest time of a visitor seen again', () => {
    const window = new UniqueWindow();
    const t0 = Date.UTC(2026, 10, 26, 10);
    window.set('a', t0);
    window.set('a', t0 + 50 * MIN);
    expect(window.get('a', t0 + 100 * MIN)).toBe(t0 + 50 * MIN);
  });
});
