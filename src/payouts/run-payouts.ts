import { payoutCandidates } from '../affiliates/payout-accounts.js';
import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import { isAppError } from '../errors.js';
import { availableSettledBefore } from '../ledger/available-by.js';
import { getSettings } from '../settings/get-settings.js';
import { railFor } from './rail-for.js';
import { requestWithdrawal } from './request-withdrawal.js';
import type { PayoutRail } from './schema.js';

export type PayoutRunSummary = {
  period: string;
  dryRun: boolean;
  /** Affiliates with auto-withdraw on and a usable bank account. */
  candidates: number;
  /** Withdrawals made by this run (a dry run: that it would make). */
  paid: number;
  paidMinor: bigint;
  feesMinor: bigint;
  /** Paid by an earlier run of the same period (a run resumed after a crash). */
  alreadyPaid: number;
  /** Available balance under the minimum withdrawal. */
  belowMinimum: number;
  /** Refused on the way (e.g. the balance changed meanwhile), with the reason. */
  refused: { affiliateId: string; code: string; message: string }[];
  byRail: Record<PayoutRail, number>;
  currency: string;
};

const PAGE = 500;

/**
 * The monthly payout run for `period` (YYYY-MM): every approved affiliate with auto-withdraw
 * on and a bank account the bank has not refused, whose balance settled before the end of
 * the period reaches the minimum withdrawal, gets one withdrawal of it. Idempotent by
 * (affiliate, period): each withdrawal commits on its own, so a run killed midway and run
 * again pays the rest and nobody twice. A dry run reports what it would do and writes nothing.
 */
export async function runPayouts(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
  period: string,
  options: { dryRun?: boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<PayoutRunSummary> {
  const dryRun = options.dryRun ?? false;
  const settings = await getSettings(ctx.db, ctx.clock.now());
  const currency = settings.settlementCurrency;
  const [year, month] = period.split('-').map(Number) as [number, number];
  const cutoff = new Date(Date.UTC(year, month, 1)); // the first day after the period
  const summary: PayoutRunSummary = {
    period,
    dryRun,
    candidates: 0,
    paid: 0,
    paidMinor: 0n,
    feesMinor: 0n,
    alreadyPaid: 0,
    belowMinimum: 0,
    refused: [],
    byRail: { sepa: 0, wire: 0, manual: 0 },
    currency,
  };
  const total = await countCandidates(ctx);
  if (!dryRun)
    await ctx.db
      .insertInto('payout_runs')
      .values({
        period,
        started_at: toDbTime(ctx.clock.now()),
        finished_at: null,
        withdrawals: 0n,
        total_minor: 0n,
      })
      .onConflict((oc) => oc.column('period').doNothing())
      .execute();
  for (let after = ''; ; ) {
    const page = await payoutCandidates(ctx.db, after, PAGE);
    if (page.length === 0) break;
    after = (page.at(-1) as { affiliateId: string }).affiliateId;
    const ids = page.map((c) => c.affiliateId);
    const paidBefore = new Set(
      (
        await ctx.db
          .selectFrom('withdrawals')
          .select('affiliate_id')
          .where('period', '=', period)
          .where('affiliate_id', 'in', ids)
          .execute()
      ).map((r) => r.affiliate_id),
    );
    const available = await availableSettledBefore(ctx, ids, currency, cutoff);
    for (const candidate of page) {
      summary.candidates += 1;
      const amount = available.get(candidate.affiliateId) ?? 0n;
      if (paidBefore.has(candidate.affiliateId)) summary.alreadyPaid += 1;
      else if (amount < settings.minWithdrawalMinor) summary.belowMinimum += 1;
      else if (dryRun) {
        count(summary, amount, settings.withdrawalFeeMinor);
        summary.byRail[
          railFor({ kind: candidate.bankAccountKind, country: candidate.bankCountry }, settings)
        ] += 1;
      } else {
        try {
          const { withdrawal, replayed } = await requestWithdrawal(
            ctx,
            { affiliateId: candidate.affiliateId, amountMinor: amount },
            { period },
          );
          if (replayed) summary.alreadyPaid += 1;
          else {
            count(summary, withdrawal.amountMinor, withdrawal.feeMinor);
            summary.byRail[withdrawal.rail] += 1;
          }
        } catch (error) {
          if (!isAppError(error)) throw error;
          summary.refused.push({
            affiliateId: candidate.affiliateId,
            code: error.code,
            message: error.message,
          });
        }
      }
      options.onProgress?.(summary.candidates, Math.max(total, summary.candidates));
    }
  }
  if (!dryRun) {
    const totals = await ctx.db
      .selectFrom('withdrawals')
      .select((eb) => [
        eb.fn.countAll<bigint>().as('n'),
        eb.fn.coalesce(eb.fn.sum<bigint>('amount_minor'), eb.val(0n)).as('total'),
      ])
      .where('period', '=', period)
      .executeTakeFirstOrThrow();
    await ctx.db
      .updateTable('payout_runs')
      .set({
        finished_at: toDbTime(ctx.clock.now()),
        withdrawals: BigInt(totals.n),
        total_minor: BigInt(totals.total),
      })
      .where('period', '=', period)
      .execute();
  }
  return summary;
}

function count(summary: PayoutRunSummary, amount: bigint, fee: bigint): void {
  summary.paid += 1;
  summary.paidMinor += amount;
  summary.feesMinor += fee;
}

async function countCandidates(ctx: Pick<Ctx, 'db'>): Promise<number> {
  let n = 0;
  for (let after = ''; ; ) {
    const page = await payoutCandidates(ctx.db, after, 5000);
    n += page.length;
    if (page.length < 5000) return n;
    after = (page.at(-1) as { affiliateId: string }).affiliateId;
  }
}

/** The month before `at`, as YYYY-MM: the period a run on the payout day pays. */
export function previousPeriod(at: Date): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
