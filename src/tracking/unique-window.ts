import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { ulidTimePrefix } from '../lib/ulid.js';
import { UNIQUE_WINDOW_MS } from './click.js';

const MAX_ENTRIES = 500_000;

/**
 * The last click time of each (visitor, link) in the past hour, held by the click writer:
 * the unique check is a map lookup, not a query per click. At start it reads the last
 * hour of clicks back (by id, which is time-ordered), so a restart does not count anyone
 * twice. Two generations of at most an hour each: a write is one `Map.set`, and a whole
 * generation is dropped once everything in it is older than the window. Bounded: a
 * generation that reaches MAX_ENTRIES / 2 is rotated early, dropping the oldest. Each
 * writer has its own: with several servers, a visitor alternating between them within the
 * hour may be counted once by each.
 */
export class UniqueWindow {
  #current = new Map<string, number>();
  #previous = new Map<string, number>();
  #currentSince = Number.NEGATIVE_INFINITY;

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
    const at = this.#current.get(key) ?? this.#previous.get(key);
    return at !== undefined && nowMs - at < UNIQUE_WINDOW_MS ? at : undefined;
  }

  set(key: string, atMs: number): void {
    // Everything in the previous generation is older than the current one's start, which is
    // itself a window ago: dropping it forgets nothing the window still needs.
    if (atMs - this.#currentSince >= UNIQUE_WINDOW_MS || this.#current.size >= MAX_ENTRIES / 2) {
      this.#previous = this.#current;
      this.#current = new Map();
      this.#currentSince = atMs;
    }
    this.#current.set(key, atMs);
  }
}
