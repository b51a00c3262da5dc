import { sql } from 'kysely';
import type { Ctx } from '../context.js';
import type { AccountBalance } from './schema.js';

/** Changes to the cached sums, per account, summed over many transfers. */
export type BalanceDeltas = Map<string, AccountBalance>;

/**
 * Adds the deltas to the cached sums. PostgreSQL: the rows are locked in account order (so
 * concurrent writers cannot deadlock), then updated by one statement from arrays; a
 * settlement or payout page touches hundreds of accounts, and one update per account cost
 * a round trip each. SQLite: one update per account, in the same order (in process, cheap).
 */
export async function applyBalanceDeltas(
  ctx: Pick<Ctx, 'db' | 'dialect'>,
  deltas: BalanceDeltas,
): Promise<void> {
  const ids = [...deltas.keys()].sort().filter((id) => !isZero(deltas.get(id) as AccountBalance));
  if (ids.length === 0) return;
  if (ctx.dialect === 'postgres') {
    const column = (pick: (d: AccountBalance) => bigint) =>
      ids.map((id) => pick(deltas.get(id) as AccountBalance).toString());
    await sql`select account_id from ledger_balances where account_id = any(${ids}::text[]) order by account_id for update`.execute(
      ctx.db,
    );
    await sql`update ledger_balances b set
        debits_pending = b.debits_pending + d.dp, credits_pending = b.credits_pending + d.cp,
        debits_posted = b.debits_posted + d.dq, credits_posted = b.credits_posted + d.cq
      from unnest(${ids}::text[], ${column((d) => d.debitsPending)}::bigint[],
        ${column((d) => d.creditsPending)}::bigint[], ${column((d) => d.debitsPosted)}::bigint[],
        ${column((d) => d.creditsPosted)}::bigint[]) as d(account_id, dp, cp, dq, cq)
      where b.account_id = d.account_id`.execute(ctx.db);
    return;
  }
  for (const accountId of ids) {
    const d = deltas.get(accountId) as AccountBalance;
    await ctx.db
      .updateTable('ledger_balances')
      .set((eb) => ({
        debits_pending: eb('debits_pending', '+', d.debitsPending),
        credits_pending: eb('credits_pending', '+', d.creditsPending),
        debits_posted: eb('debits_posted', '+', d.debitsPosted),
        credits_posted: eb('credits_posted', '+', d.creditsPosted),
      }))
      .where('account_id', '=', accountId)
      .execute();
  }
}

function isZero(d: AccountBalance): boolean {
  return (
    d.debitsPending === 0n &&
    d.creditsPending === 0n &&
    d.debitsPosted === 0n &&
    d.creditsPosted === 0n
  );
}

/** Adds one transfer's effect on an account to the running deltas. */
export function addDelta(
  deltas: BalanceDeltas,
  accountId: string,
  change: Partial<AccountBalance>,
): void {
  const d = deltas.get(accountId) ?? {
    debitsPending: 0n,
    creditsPending: 0n,
    debitsPosted: 0n,
    creditsPosted: 0n,
  };
  d.debitsPending += change.debitsPending ?? 0n;
  d.creditsPending += change.creditsPending ?? 0n;
  d.debitsPosted += change.debitsPosted ?? 0n;
  d.creditsPosted += change.creditsPosted ?? 0n;
  deltas.set(accountId, d);
}
