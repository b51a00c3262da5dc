import {
  countPayoutCandidates,
  type PayoutCandidate,
  payoutCandidates,
} from '../affiliates/payout-accounts.js';
import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import { availableSettledBefore } from '../ledger/available-by.js';
import { getSettings } from '../settings/get-settings.js';
import type { ProgramSettings } from '../settings/schema.js';
import { payPage } from './pay-page.js';
import { paidForPeriod } from './queries.js';
import { railFor } from './rail-for.js';
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
  /** Suspended, or their bank account refused, between the listing and the payment. */
  noLongerEligible: number;
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
  options: {
    dryRun?: boolean;
    /** Affiliates per transaction (default 500): what a crash can roll back. */
    pageSize?: number;
    onProgress?: (done: number, total: number) => void;
  } = {},
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
    noLongerEligible: 0,
    byRail: { sepa: 0, wire: 0, manual: 0 },
    currency,
  };
  const total = await countPayoutCandidates(ctx.db);
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
    const page = await payoutCandidates(ctx.db, after, options.pageSize ?? PAGE);
    if (page.length === 0) break;
    after = (page.at(-1) as { affiliateId: string }).affiliateId;
    const ids = page.map((c) => c.affiliateId);
    summary.candidates += page.length;
    if (dryRun) {
      await planPage(ctx, page, period, settings, cutoff, summary);
    } else {
      const outcome = await payPage(ctx, ids, period, settings, cutoff);
      summary.alreadyPaid += outcome.alreadyPaid;
      summary.belowMinimum += outcome.belowMinimum;
      summary.noLongerEligible += outcome.gone;
      for (const w of outcome.paid) {
        count(summary, w.amountMinor, w.feeMinor);
        summary.byRail[w.rail] += 1;
      }
    }
    options.onProgress?.(summary.candidates, Math.max(total, summary.candidates));
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

/** What payPage would do with this page, read-only: a dry run. */
async function planPage(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite'>,
  page: readonly PayoutCandidate[],
  period: string,
  settings: ProgramSettings,
  cutoff: Date,
  summary: PayoutRunSummary,
): Promise<void> {
  const ids = page.map((c) => c.affiliateId);
  const paidBefore = await paidForPeriod(ctx.db, ids, period);
  const available = await availableSettledBefore(ctx, ids, settings.settlementCurrency, cutoff);
  for (const c of page) {
    const amount = available.get(c.affiliateId) ?? 0n;
    if (paidBefore.has(c.affiliateId)) summary.alreadyPaid += 1;
    else if (amount < settings.minWithdrawalMinor) summary.belowMinimum += 1;
    else {
      count(summary, amount, settings.withdrawalFeeMinor);
      summary.byRail[railFor({ kind: c.bankAccountKind, country: c.bankCountry }, settings)] += 1;
    }
  }
}

function count(summary: PayoutRunSummary, amount: bigint, fee: bigint): void {
  summary.paid += 1;
  summary.paidMinor += amount;
  summary.feesMinor += fee;
}

/** The month before `at`, as YYYY-MM: the period a run on the payout day pays. */
export function previousPeriod(at: Date): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
