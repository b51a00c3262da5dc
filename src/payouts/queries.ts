import type { Selectable } from 'kysely';
import type { Db, WithdrawalsTable } from '../db/types.js';
import { AppError } from '../errors.js';
import { stateLabels, type Withdrawal } from './schema.js';

export const MAX_WITHDRAWAL_PAGE = 200;

export function toWithdrawal(row: Selectable<WithdrawalsTable>): Withdrawal {
  return {
    id: row.id,
    affiliateId: row.affiliate_id,
    state: row.state,
    stateLabel: stateLabels[row.state],
    rail: row.rail,
    currency: row.currency,
    amountMinor: row.amount_minor,
    feeMinor: row.fee_minor,
    netMinor: row.net_minor,
    bankAccountId: row.bank_account_id,
    source: row.source,
    period: row.period,
    batchId: row.batch_id,
    requestedAt: row.requested_at,
    sentAt: row.exported_at,
    succeededAt: row.succeeded_at,
    failedAt: row.failed_at,
    reasonCode: row.reason_code,
    reasonText: row.reason_text,
  };
}

/** One withdrawal; with `affiliateId`, only if it is that affiliate's (else not found). */
export async function getWithdrawal(db: Db, id: string, affiliateId?: string): Promise<Withdrawal> {
  const row = await db
    .selectFrom('withdrawals')
    .selectAll()
    .where('id', '=', id)
    .$if(affiliateId !== undefined, (q) => q.where('affiliate_id', '=', affiliateId as string))
    .executeTakeFirst();
  if (!row) throw new AppError('withdrawal_not_found', `no withdrawal ${id}`);
  return toWithdrawal(row);
}

/** The affiliate's withdrawals, newest first, a page before `beforeId`. */
export async function listWithdrawals(
  db: Db,
  affiliateId: string,
  page: { beforeId?: string | undefined; limit: number },
): Promise<Withdrawal[]> {
  const rows = await db
    .selectFrom('withdrawals')
    .selectAll()
    .where('affiliate_id', '=', affiliateId)
    .$if(page.beforeId !== undefined, (q) => q.where('id', '<', page.beforeId as string))
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(page.limit, 1), MAX_WITHDRAWAL_PAGE))
    .execute();
  return rows.map(toWithdrawal);
}

/** What the bank confirmed as paid to the affiliate (net + fee), and the fees within it. */
export async function paidOut(
  db: Db,
  affiliateId: string,
  currency: string,
): Promise<{ paidMinor: bigint; feesMinor: bigint }> {
  const row = await db
    .selectFrom('withdrawals')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<bigint>('amount_minor'), eb.val(0n)).as('paid'),
      eb.fn.coalesce(eb.fn.sum<bigint>('fee_minor'), eb.val(0n)).as('fees'),
    ])
    .where('affiliate_id', '=', affiliateId)
    .where('currency', '=', currency)
    .where('state', '=', 'succeeded')
    .executeTakeFirstOrThrow();
  return { paidMinor: BigInt(row.paid), feesMinor: BigInt(row.fees) };
}

/** Those of these affiliates a payout run of `period` has paid already. */
export async function paidForPeriod(
  db: Db,
  affiliateIds: readonly string[],
  period: string,
): Promise<Set<string>> {
  if (affiliateIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('withdrawals')
    .select('affiliate_id')
    .where('period', '=', period)
    .where('affiliate_id', 'in', [...affiliateIds])
    .execute();
  return new Set(rows.map((r) => r.affiliate_id));
}
