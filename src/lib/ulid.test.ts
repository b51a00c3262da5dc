import { describe, expect, it } from 'vitest';
import { ulid } from './ulid.js';

describe('ulid', () => {
  it('is 26 Crockford base-32 characters whose first ten encode the time', () => {
    const id = ulid(Date.UTC(2026, 10, 25));
    expect(id).toMatch(/^[0-9a-hjkmnp-tv-z]{26}$/);
    const decoded = [...id.slice(0, 10)].reduce(
      (n, c) => n * 32 + '0123456789abcdefghjkmnpqrstvwxyz'.indexOf(c),
      0,
    );
    expect(decoded).toBe(Date.UTC(2026, 10, 25));
  });

  it('sorts in the order made, within a millisecond and across them, even if the clock steps back', () => {
    const ms = Date.UTC(2027, 0, 1);
    const ids = [ulid(ms), ulid(ms), ulid(ms), ulid(ms + 1), ulid(ms - 5000), ulid(ms + 2)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
