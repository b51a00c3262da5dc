import { sql } from 'kysely';
import { z } from 'zod';
import { productSummaries } from '../catalog/products-by-ids.js';
import type { Ctx } from '../context.js';
import type { Db } from '../db/types.js';
import { parseInput } from '../lib/parse-input.js';
import { type DayRange, dashboardPeriods, todayOf } from './periods.js';
import { reportCurrency } from './queries.js';
import { currencyCode, day, MAX_RANGE_DAYS } from './schema.js';

export const MAX_TOP_PRODUCTS = 100;

export const topProductsInput = z
  .object({
    affiliateId: z.string().min(1).max(64),
    /** A dashboard period (this month by default), or `from` and `to`. */
    period: z.enum(['today', 'this_month', 'last_month']).optional(),
    from: day.optional(),
    to: day.optional(),
    limit: z.number().int().min(1).max(MAX_TOP_PRODUCTS).default(10),
    today: day.optional(),
    currency: currencyCode.optional(),
  })
  .strict()
  .refine((q) => (q.from === undefined) === (q.to === undefined), 'give both from and to')
  .refine((q) => !(q.period && q.from), 'give a period or from and to, not both')
  .refine((q) => !q.from || !q.to || q.from <= q.to, 'from must not be after to')
  .refine(
    (q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) < MAX_RANGE_DAYS * 86_400_000,
    `at most ${MAX_RANGE_DAYS} days at a time`,
  );

export type TopProduct = {
  productId: string;
  /** The catalog's title; null for a product no longer in the catalog. */
  title: string | null;
  leads: bigint;
  estimatedMinor: bigint;
};

/**
 * The affiliate's products with the most estimated commission in a range (leads paid in it,
 * not Invalid), from the daily product rollup: a row per product and day.
 */
export async function topProducts(
  ctx: Pick<Ctx, 'db' | 'sqlite' | 'clock'>,
  input: z.input<typeof topProductsInput>,
): Promise<{ currency: string; from: string; to: string; products: TopProduct[] }> {
  const q = parseInput(topProductsInput, input);
  const periods = dashboardPeriods(q.today ?? todayOf(ctx.clock));
  const range: DayRange =
    q.from && q.to
      ? { from: q.from, to: q.to }
      : periods[
          q.period === 'today' ? 'today' : q.period === 'last_month' ? 'lastMonth' : 'thisMonth'
        ];
  const currency = await reportCurrency(ctx, q.currency);
  const rows = await topRows(ctx.db, q.affiliateId, currency, range, q.limit);
  const titles = await productSummaries(
    ctx,
    rows.map((r) => r.productId),
  );
  return {
    currency,
    ...range,
    products: rows.map((r) => ({ ...r, title: titles.get(r.productId)?.title ?? null })),
  };
}

async function topRows(
  db: Db,
  affiliateId: string,
  currency: string,
  range: DayRange,
  limit: number,
): Promise<Omit<TopProduct, 'title'>[]> {
  const rows = await db
    .selectFrom('order_daily_product')
    .select([
      'product_id',
      sql<bigint>`cast(sum(leads) as bigint)`.as('leads'),
      sql<bigint>`cast(sum(estimated_minor) as bigint)`.as('estimated_minor'),
    ])
    .where('affiliate_id', '=', affiliateId)
    .where('day', '>=', range.from)
    .where('day', '<=', range.to)
    .where('currency', '=', currency)
    .groupBy('product_id')
    .orderBy(sql`sum(estimated_minor)`, 'desc')
    .orderBy('product_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    productId: r.product_id,
    leads: BigInt(r.leads),
    estimatedMinor: BigInt(r.estimated_minor),
  }));
}
