import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { ulidTimePrefix } from '../lib/ulid.js';
import { UNIQUE_WINDOW_MS } from './click.js';

const MAX_ENTRIES = 500_000;

/**
 * The last click time of each (visitor, link) in the past hour, held by the click writer:
 * the unique check is a map lookup, not a query per click. At start it reads the last
 * hour of clicks back (by id, which is time-ordered), so a restart does not count anyone
 * twice. Bounded: past MAX_ENTRIES the oldest entries go first (insertion order). Each
 * writer has its own: with several servers, a visitor alternating between them within the
 * hour may be counted once by each.
 */
export class UniqueWindow {
  readonly #last = new Map<string, number>();

  /** Loads the last hour before `now` from stored clicks. */
  async warm(db: Db, now: Date): Promise<void> {
    const rows = await db
      .selectFrom('clicks')
      .select(['ip_hash', 'link_id', sql<string>`max(clicked_at)`.as('last')])
      .where('id', '>=', ulidTimePrefix(now.getTime() - UNIQUE_WINDOW_MS))
      .where('is_bot', '=', 0n)
      .groupBy(['ip_hash', 'link_id'])
      .orderBy('last')
      .execute();
    for (const row of rows) this.set(`${row.ip_hash} ${row.link_id}`, Date.parse(row.last));
  }

  get(key: string, nowMs: number): number | undefined {
    const at = this.#last.get(key);
    return at !== undefined && nowMs - at < UNIQUE_WINDOW_MS ? at : undefined;
  }

  set(key: string, atMs: number): void {
    this.#last.delete(key); // re-insert: the map's order is the eviction order
    this.#last.set(key, atMs);
    while (this.#last.size > MAX_ENTRIES)
      this.#last.delete(this.#last.keys().next().value as string);
  }
}
