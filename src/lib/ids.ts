import type { Clock } from '../clock.js';
import { ulid } from './ulid.js';

/** A sortable id (ULID, lower case) with a type prefix, e.g. `aff_01jd9k…`; time from the clock. */
export function newId(prefix: string, clock: Clock): string {
  return `${prefix}_${ulid(clock.now().getTime())}`;
}
