import path from 'node:path';
import { type RawBuilder, sql } from 'kysely';
import { type Connection, connect } from '../db/connection.js';
import type { Db } from '../db/types.js';
import { waitFor } from './wait.js';
import type { World } from './world.js';

/** The run's own connection to the installation's database, to watch and check it. */
export function openWorldDb(world: World): Connection {
  return connect({
    databaseUrl: world.databaseUrl,
    sqliteFile: path.join(world.dataDir, 'affnet.db'),
  });
}

/** The first column of a one-row query, as a bigint (counts and sums; null is 0). */
export async function scalar(db: Db, query: RawBuilder<{ n: unknown }>): Promise<bigint> {
  const row = (await query.execute(db)).rows[0];
  const n = row?.n;
  return n === null || n === undefined ? 0n : BigInt(n as bigint | number | string);
}

/** scalar, as a number: counts of rows. */
export async function count(db: Db, query: RawBuilder<{ n: unknown }>): Promise<number> {
  return Number(await scalar(db, query));
}

/**
 * After a kill -9, the state the crash left. SQLite has it at once (the killed process held
 * no lock the file keeps). PostgreSQL's sessions of the killed server end when they notice
 * the closed socket: a statement in progress runs to its end first, and a COMMIT already
 * sent commits. This waits until none of them is busy, so what is read next is what the
 * restarted server will find.
 */
export async function crashSettled(connection: Connection): Promise<void> {
  if (connection.dialect !== 'postgres') return;
  await waitFor(
    "the killed server's PostgreSQL sessions to end",
    async () => {
      const busy = await count(
        connection.db,
        sql`select count(*) as n from pg_stat_activity
            where datname = current_database() and backend_type = 'client backend'
              and pid <> pg_backend_pid() and state <> 'idle'`,
      );
      return busy === 0 ? true : undefined;
    },
    { timeoutMs: 30_000, everyMs: 20 },
  );
}
