import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

/** The same value with every object's keys in reverse order. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .reverse()
      .map((key) => [key, reversed((value as Record<string, unknown>)[key])]),
  );
}

/** The first implementation (a sorted copy, then JSON.stringify): stored hashes came from it. */
function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, sortedCopy(record[key])]),
  );
}

describe('canonicalJson', () => {
  it('sorts keys at every level and writes JSON that reads back to the same value', () => {
    expect(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }], e: { g: true, f: 1.5 } })).toBe(
      '{"a":[{"c":"x","d":null}],"b":1,"e":{"f":1.5,"g":true}}',
    );
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(reversed(value))).toBe(text);
        // The same text as before, so events stored earlier still replay.
        expect(text).toBe(JSON.stringify(sortedCopy(value)));
      }),
      { numRuns: 2000 },
    );
    // Keys JavaScript orders on its own: array indexes, and a member named __proto__.
    const tricky = JSON.parse('{"b":1,"10":2,"":3,"2":4,"__proto__":{"x":1},"-1":5}');
    expect(canonicalJson(tricky)).toBe(JSON.stringify(sortedCopy(tricky)));
  });

  it('leaves out undefined members and writes undefined array items as null, as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });
});
