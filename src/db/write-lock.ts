import { sql } from 'kysely';
import type { Ctx } from '../context.js';

/**
 * Call first in a transaction that reads and then writes what it read, when another process
 * may write the same database. SQLite opens a transaction deferred: two processes can both
 * read, and the second to write then fails with SQLITE_BUSY (its snapshot is stale), which
 * no busy timeout cures. A write as the first statement takes the write lock at the start
 * (waiting for the other writer under busy_timeout), so the reads that follow are current.
 * The statement changes no row. PostgreSQL locks rows instead (`for update`): a no-op.
 */
export async function takeWriteLock(ctx: Pick<Ctx, 'db' | 'dialect'>): Promise<void> {
  if (ctx.dialect !== 'sqlite') return;
  await sql`update payout_runs set period = period where 0`.execute(ctx.db);
}
