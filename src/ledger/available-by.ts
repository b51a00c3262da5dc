import { sql } from 'kysely';
import type { Ctx } from '../context.js';
import { selectWhereIn } from '../db/select-where-in.js';
import { toDbTime } from '../db/time.js';
import { accountId } from './accounts.js';

/**
 * For each affiliate, what they may withdraw of the money settled before `cutoff`: the
 * available balance now, less what was credited since (it waits for the next run). Debits
 * made since (clawbacks, withdrawals) still count: nobody is paid past their balance. Two
 * statements for any number of affiliates; affiliates with nothing available are left out.
 */
export async function availableSettledBefore(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite'>,
  affiliateIds: readonly string[],
  currency: string,
  cutoff: Date,
): Promise<Map<string, bigint>> {
  const ids = new Map(
    affiliateIds.map((id) => [accountId({ kind: 'affiliate', ownerId: id, currency }), id]),
  );
  type Sums = {
    account_id: string;
    debits_pending: bigint;
    debits_posted: bigint;
    credits_posted: bigint;
  };
  const sums = await selectWhereIn<Sums>(ctx, {
    from: 'ledger_balances',
    columns: ['account_id', 'debits_pending', 'debits_posted', 'credits_posted'],
    column: 'account_id',
    values: [...ids.keys()],
  });
  const available = new Map<string, bigint>();
  for (const s of sums) {
    const net = BigInt(s.credits_posted) - BigInt(s.debits_posted) - BigInt(s.debits_pending);
    if (net > 0n) available.set(s.account_id, net);
  }
  if (available.size === 0) return new Map();
  const since = await ctx.db
    .selectFrom('ledger_transfers')
    .select(['credit_account_id', sql<bigint>`sum(amount_minor)`.as('credited')])
    .where('credit_account_id', 'in', [...available.keys()])
    .where('kind', 'in', ['posted', 'post'])
    .where('created_at', '>=', toDbTime(cutoff))
    .groupBy('credit_account_id')
    .execute();
  for (const row of since) {
    const net = (available.get(row.credit_account_id) ?? 0n) - BigInt(row.credited);
    available.set(row.credit_account_id, net);
  }
  const out = new Map<string, bigint>();
  for (const [account, amount] of available)
    if (amount > 0n) out.set(ids.get(account) as string, amount);
  return out;
}
