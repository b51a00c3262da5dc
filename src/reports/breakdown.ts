import { z } from 'zod';
import { listTrackingIds } from '../affiliates/tracking-ids.js';
import type { Ctx } from '../context.js';
import { parseInput } from '../lib/parse-input.js';
import { clickStats } from '../tracking/click-stats.js';
import { dashboardPeriods, todayOf } from './periods.js';
import { addOrderCounts, orderCounts, reportCurrency } from './queries.js';
import { currencyCode, day, emptyTotals, MAX_RANGE_DAYS, type ReportTotals } from './schema.js';

export const MAX_BREAKDOWN_ROWS = 1000;

export const breakdownInput = z
  .object({
    affiliateId: z.string().min(1).max(64),
    by: z.enum(['tracking_id', 'sub1']),
    /** By default this month so far. */
    from: day.optional(),
    to: day.optional(),
    limit: z.number().int().min(1).max(MAX_BREAKDOWN_ROWS).default(100),
    today: day.optional(),
    currency: currencyCode.optional(),
  })
  .strict()
  .refine((q) => (q.from === undefined) === (q.to === undefined), 'give both from and to')
  .refine((q) => !q.from || !q.to || q.from <= q.to, 'from must not be after to')
  .refine(
    (q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) < MAX_RANGE_DAYS * 86_400_000,
    `at most ${MAX_RANGE_DAYS} days at a time`,
  );

export type BreakdownRow = ReportTotals & {
  /** The tracking id's name, or the sub1 ('' for clicks and orders without one). */
  key: string;
};

export type Breakdown = {
  currency: string;
  from: string;
  to: string;
  /** Most estimated commission first, then most clicks; at most `limit`. */
  rows: BreakdownRow[];
  /** How many rows there were in all (more than `rows` when cut at the limit). */
  total: number;
};

/**
 * An affiliate's clicks and orders in a range side by side, by tracking id or by sub1, from
 * the rollups: clicks from the click writer's, orders (on the day they were paid) from the
 * order rollups.
 */
export async function breakdown(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  input: z.input<typeof breakdownInput>,
): Promise<Breakdown> {
  const q = parseInput(breakdownInput, input);
  const range =
    q.from && q.to
      ? { from: q.from, to: q.to }
      : dashboardPeriods(q.today ?? todayOf(ctx.clock)).thisMonth;
  const currency = await reportCurrency(ctx, q.currency);
  const rows = new Map<string, BreakdownRow>();
  const rowOf = (key: string) => {
    let row = rows.get(key);
    if (!row) {
      row = { key, ...emptyTotals() };
      rows.set(key, row);
    }
    return row;
  };
  // Clicks come keyed by the tracking id's name; orders by its row id.
  for (const c of await clickStats(ctx.db, { affiliateId: q.affiliateId, ...range, by: q.by })) {
    const row = rowOf(c.key);
    row.clicks += c.clicks;
    row.uniqueClicks += c.uniqueClicks;
  }
  const names =
    q.by === 'tracking_id'
      ? new Map((await listTrackingIds(ctx.db, q.affiliateId)).map((t) => [t.id, t.name]))
      : undefined;
  for (const o of await orderCounts(ctx.db, q.affiliateId, range, q.by))
    addOrderCounts(rowOf(names ? (names.get(o.key) ?? o.key) : o.key), o, currency);
  const sorted = [...rows.values()].sort(
    (a, b) =>
      compare(b.estimatedMinor, a.estimatedMinor) ||
      compare(b.clicks, a.clicks) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  return { currency, ...range, rows: sorted.slice(0, q.limit), total: sorted.length };
}

const compare = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
