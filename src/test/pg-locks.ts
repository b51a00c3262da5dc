import { sql } from 'kysely';
import type { Ctx } from '../context.js';

/** The id of the current PostgreSQL transaction, as pg_locks shows it (32 bits). */
export async function currentXid(tx: Pick<Ctx, 'db'>): Promise<string> {
  const { rows } = await sql<{
    xid: string;
  }>`select (txid_current() % 4294967296)::text as xid`.execute(tx.db);
  return rows[0]?.xid as string;
}

/**
 * Returns once some transaction waits for transaction `xid` to end (a row it locked or a
 * key it wrote): the point where a concurrent request is known to be blocked by it.
 * Polls pg_locks; fails after ten seconds without a waiter.
 */
export async function waitForLockWaiter(ctx: Pick<Ctx, 'db'>, xid: string): Promise<void> {
  for (let attempt = 0; attempt < 1000; attempt += 1) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_locks
      where locktype = 'transactionid' and not granted and transactionid::text = ${xid}`.execute(
      ctx.db,
    );
    if ((rows[0]?.n ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no transaction waited for ${xid}`);
}
