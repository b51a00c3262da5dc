import type { Db } from '../db/types.js';
import { MAX_WITHDRAWAL_PAGE, toWithdrawal } from './queries.js';
import type { PayoutRail, Withdrawal, WithdrawalState } from './schema.js';

// What the operator's console reads of payouts: runs, bank file batches, withdrawals of
// every affiliate. Affiliates read theirs through queries.ts.
export type PayoutRun = {
  period: string;
  startedAt: string;
  /** Null while the run is under way, or when it was killed before it finished. */
  finishedAt: string | null;
  withdrawals: number;
  totalMinor: bigint;
};

/** The monthly payout runs, newest period first. */
export async function listPayoutRuns(db: Db, limit: number): Promise<PayoutRun[]> {
  const rows = await db
    .selectFrom('payout_runs')
    .selectAll()
    .orderBy('period', 'desc')
    .limit(Math.min(Math.max(limit, 1), MAX_WITHDRAWAL_PAGE))
    .execute();
  return rows.map((r) => ({
    period: r.period,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    withdrawals: Number(r.withdrawals),
    totalMinor: r.total_minor,
  }));
}

export type PayoutBatch = {
  id: string;
  rail: PayoutRail;
  currency: string;
  transfers: number;
  totalMinor: bigint;
  createdAt: string;
  /** How many of its withdrawals are in each state now (the bank's results imported so far). */
  states: Record<WithdrawalState, number>;
};

/** Bank file batches, newest first, with the states their withdrawals have reached. */
export async function listPayoutBatches(db: Db, limit: number): Promise<PayoutBatch[]> {
  const ids = await db
    .selectFrom('payout_batches')
    .select('id')
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(limit, 1), MAX_WITHDRAWAL_PAGE))
    .execute();
  return listPayoutBatchesFrom(
    db,
    ids.map((r) => r.id),
  );
}

async function listPayoutBatchesFrom(db: Db, ids: string[]): Promise<PayoutBatch[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('payout_batches')
    .selectAll()
    .where('id', 'in', ids)
    .orderBy('id', 'desc')
    .execute();
  const counts = await db
    .selectFrom('withdrawals')
    .select((eb) => ['batch_id', 'state', eb.fn.countAll<string>().as('n')])
    .where('batch_id', 'in', ids)
    .groupBy(['batch_id', 'state'])
    .execute();
  return rows.map((r) => {
    const states = { processing: 0, succeeded: 0, failed: 0, returned: 0 };
    for (const c of counts) if (c.batch_id === r.id) states[c.state] = Number(c.n);
    return {
      id: r.id,
      rail: r.rail,
      currency: r.currency,
      transfers: Number(r.transfers),
      totalMinor: r.total_minor,
      createdAt: r.created_at,
      states,
    };
  });
}

/** How many withdrawals are in each state, and their amounts (net + fee), per currency. */
export async function withdrawalTotals(
  db: Db,
): Promise<{ state: WithdrawalState; currency: string; count: number; amountMinor: bigint }[]> {
  const rows = await db
    .selectFrom('withdrawals')
    .select((eb) => [
      'state',
      'currency',
      eb.fn.countAll<string>().as('n'),
      eb.fn.coalesce(eb.fn.sum<bigint>('amount_minor'), eb.val(0n)).as('amount'),
    ])
    .groupBy(['state', 'currency'])
    .orderBy('state')
    .orderBy('currency')
    .execute();
  return rows.map((r) => ({
    state: r.state,
    currency: r.currency,
    count: Number(r.n),
    amountMinor: BigInt(r.amount),
  }));
}

/** Processing withdrawals that no bank file has carried yet, by rail: what an export would claim. */
export async function withdrawalsAwaitingFile(
  db: Db,
): Promise<{ rail: PayoutRail; currency: string; count: number; netMinor: bigint }[]> {
  const rows = await db
    .selectFrom('withdrawals')
    .select((eb) => [
      'rail',
      'currency',
      eb.fn.countAll<string>().as('n'),
      eb.fn.coalesce(eb.fn.sum<bigint>('net_minor'), eb.val(0n)).as('net'),
    ])
    .where('state', '=', 'processing')
    .where('batch_id', 'is', null)
    .groupBy(['rail', 'currency'])
    .orderBy('rail')
    .orderBy('currency')
    .execute();
  return rows.map((r) => ({
    rail: r.rail,
    currency: r.currency,
    count: Number(r.n),
    netMinor: BigInt(r.net),
  }));
}

export const MAX_EXPORT_PAGE = 1000;

/** Every affiliate's withdrawals in id order after `afterId`: the operator's export, a page at a time. */
export async function withdrawalsAfter(
  db: Db,
  afterId: string,
  limit: number,
): Promise<Withdrawal[]> {
  const rows = await db
    .selectFrom('withdrawals')
    .selectAll()
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(Math.min(Math.max(limit, 1), MAX_EXPORT_PAGE))
    .execute();
  return rows.map(toWithdrawal);
}

/** One bank file batch, or undefined. */
export async function findPayoutBatch(db: Db, id: string): Promise<PayoutBatch | undefined> {
  return (await listPayoutBatchesFrom(db, [id]))[0];
}
