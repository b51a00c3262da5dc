import { sql } from 'kysely';
import type { Ctx } from '../context.js';

/**
 * Holds an account's balance row until the transaction ends, so that a check of its balance
 * and the transfer that follows cannot interleave with another's (two withdrawals against
 * one balance). PostgreSQL locks the row. SQLite has one writer at a time: a transaction
 * that took the write lock first (db/write-lock.ts) already holds every row. Call inside a
 * transaction.
 */
export async function lockAccount(
  ctx: Pick<Ctx, 'db' | 'dialect'>,
  accountId: string,
): Promise<void> {
  if (ctx.dialect !== 'postgres') return;
  await sql`select account_id from ledger_balances where account_id = ${accountId} for update`.execute(
    ctx.db,
  );
}

/** lockAccount for many accounts, in id order so that two lockers cannot deadlock. */
export async function lockAccounts(
  ctx: Pick<Ctx, 'db' | 'dialect'>,
  accountIds: readonly string[],
): Promise<void> {
  if (ctx.dialect !== 'postgres' || accountIds.length === 0) return;
  await sql`select account_id from ledger_balances where account_id = any(${[...accountIds]}::text[]) order by account_id for update`.execute(
    ctx.db,
  );
}
