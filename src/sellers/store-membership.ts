import { DAY_MS } from '../clock.js';
import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';

export type StoreMembership = {
  /** Whether the whole store is in the program at `at`. */
  enrolled: boolean;
  /** When the current state began (the change that started it); null: never enrolled. */
  since: string | null;
  /** The earliest time the store may change state (leave if in, rejoin if out); null: any time. */
  mayChangeFrom: string | null;
};

/**
 * A store's place in the program at a time, from its store-level enrollment changes: in or
 * out, since when, and when the program's rules let it change — leave after
 * `minStayDays` in, rejoin after `minAwayDays` out. A store never enrolled may join at once.
 */
export async function storeMembership(
  db: Db,
  storeId: string,
  at: Date,
  rules: { minStayDays: number; minAwayDays: number },
): Promise<StoreMembership> {
  const changes = await db
    .selectFrom('enrollments')
    .select(['enrolled', 'effective_from'])
    .where('store_id', '=', storeId)
    .where('scope', '=', 'store')
    .where('effective_from', '<=', toDbTime(at))
    .orderBy('effective_from')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  let enrolled = false;
  let since: string | null = null;
  for (const change of changes) {
    const next = Number(change.enrolled) === 1;
    // A repeat of the state it is in changes nothing: the time in it runs on.
    if (since === null ? next : next !== enrolled) {
      enrolled = next;
      since = change.effective_from;
    }
  }
  if (since === null) return { enrolled: false, since: null, mayChangeFrom: null };
  const days = enrolled ? rules.minStayDays : rules.minAwayDays;
  return {
    enrolled,
    since,
    mayChangeFrom: toDbTime(new Date(Date.parse(since) + days * DAY_MS)),
  };
}
