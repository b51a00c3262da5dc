import type { Timestamp } from './types.js';

/** The one way a time is written to the database: ISO-8601 UTC with milliseconds. */
export function toDbTime(at: Date): Timestamp {
  return at.toISOString();
}

/** The UTC day of a stored time, e.g. 2026-11-25. */
export function dayOf(at: Timestamp): string {
  return at.slice(0, 10);
}
