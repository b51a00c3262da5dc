import type { Timestamp } from './types.js';

/** The one way a time is written to the database: ISO-8601 UTC with milliseconds. */
export function toDbTime(at: Date): Timestamp {
  // The same millisecond is written many times over in a batch; toISOString is not cheap.
  const ms = at.getTime();
  if (ms !== lastMs) {
    lastText = at.toISOString();
    lastMs = ms;
  }
  return lastText;
}
let lastMs = Number.NaN;
let lastText = '';

/** The UTC day of a stored time, e.g. 2026-11-25. */
export function dayOf(at: Timestamp): string {
  return at.slice(0, 10);
}
