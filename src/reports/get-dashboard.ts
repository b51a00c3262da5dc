import { z } from 'zod';
import type { Ctx } from '../context.js';
import { parseInput } from '../lib/parse-input.js';
import { clickStats } from '../tracking/click-stats.js';
import { type DayRange, dashboardPeriods, todayOf } from './periods.js';
import { addOrderCounts, orderCounts, reportCurrency } from './queries.js';
import { currencyCode, day, emptyTotals, type ReportTotals } from './schema.js';

export const dashboardInput = z
  .object({
    affiliateId: z.string().min(1).max(64),
    /** The day the dashboard is for; by default today by the clock (UTC). */
    today: day.optional(),
    currency: currencyCode.optional(),
  })
  .strict();

export type PeriodTotals = DayRange & ReportTotals;

export type Dashboard = {
  /** The currency of the amounts: the settlement currency in force today, unless asked. */
  currency: string;
  /** Other currencies with commission in these periods (after a change of settlement currency). */
  otherCurrencies: string[];
  today: PeriodTotals;
  thisMonth: PeriodTotals;
  lastMonth: PeriodTotals;
};

/**
 * An affiliate's dashboard: clicks and orders today, this month so far and last month,
 * from the click and order rollups (two range reads, a row per day at most per tracking id
 * and country or currency), never from raw clicks or sub-orders. Orders count on the UTC
 * day they were paid, whatever has happened to them since.
 */
export async function getDashboard(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  input: z.input<typeof dashboardInput>,
): Promise<Dashboard> {
  const q = parseInput(dashboardInput, input);
  const periods = dashboardPeriods(q.today ?? todayOf(ctx.clock));
  const span = { from: periods.lastMonth.from, to: periods.today.to };
  const currency = await reportCurrency(ctx, q.currency);
  const clicks = await clickStats(ctx.db, { affiliateId: q.affiliateId, ...span, by: 'day' });
  const orders = await orderCounts(ctx.db, q.affiliateId, span, 'day');

  const totals = {
    today: { ...periods.today, ...emptyTotals() },
    thisMonth: { ...periods.thisMonth, ...emptyTotals() },
    lastMonth: { ...periods.lastMonth, ...emptyTotals() },
  };
  const periodsOf = (d: string) =>
    Object.values(totals).filter((period) => period.from <= d && d <= period.to);
  for (const row of clicks)
    for (const period of periodsOf(row.key)) {
      period.clicks += row.clicks;
      period.uniqueClicks += row.uniqueClicks;
    }
  const others = new Set<string>();
  for (const row of orders) {
    for (const period of periodsOf(row.key)) addOrderCounts(period, row, currency);
    if (row.currency !== currency && (row.estimatedMinor !== 0n || row.settledMinor !== 0n))
      others.add(row.currency);
  }
  return { currency, otherCurrencies: [...others].sort(), ...totals };
}
