import { z } from 'zod';
import type { Ctx } from '../context.js';
import { parseInput } from '../lib/parse-input.js';
import { clickStats } from '../tracking/click-stats.js';
import { addDays, daysOf, todayOf } from './periods.js';
import { addOrderCounts, orderCounts, reportCurrency } from './queries.js';
import { currencyCode, day, emptyTotals, type ReportTotals } from './schema.js';

export const dailySeriesInput = z
  .object({
    affiliateId: z.string().min(1).max(64),
    days: z.union([z.literal(30), z.literal(90)]),
    /** The last day of the series; by default today by the clock (UTC). */
    today: day.optional(),
    currency: currencyCode.optional(),
  })
  .strict();

export type DailySeries = {
  currency: string;
  from: string;
  to: string;
  /** Every day of the range, oldest first; a day without clicks or orders is all zeros. */
  days: (ReportTotals & { day: string })[];
};

/** An affiliate's clicks and orders per UTC day over the last 30 or 90 days, from the rollups. */
export async function dailySeries(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  input: z.input<typeof dailySeriesInput>,
): Promise<DailySeries> {
  const q = parseInput(dailySeriesInput, input);
  const to = q.today ?? todayOf(ctx.clock);
  const range = { from: addDays(to, 1 - q.days), to };
  const currency = await reportCurrency(ctx, q.currency);
  const series = new Map(daysOf(range).map((d) => [d, { day: d, ...emptyTotals() }]));
  for (const row of await clickStats(ctx.db, { affiliateId: q.affiliateId, ...range, by: 'day' })) {
    const totals = series.get(row.key);
    if (!totals) continue;
    totals.clicks += row.clicks;
    totals.uniqueClicks += row.uniqueClicks;
  }
  for (const row of await orderCounts(ctx.db, q.affiliateId, range, 'day')) {
    const totals = series.get(row.key);
    if (totals) addOrderCounts(totals, row, currency);
  }
  return { currency, ...range, days: [...series.values()] };
}
