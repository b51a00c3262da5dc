import { sql } from 'kysely';
import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import { AppError } from '../errors.js';
import { decodeCursor, encodeCursor } from '../lib/cursor.js';
import { saleInSettlementMinor } from './release-amounts.js';
import { assertSellerStore, storeIdsOfSeller } from './seller-access.js';

export type SellerReportFilter = { from: Date; to: Date; storeId?: string }; // [from, to), UTC
export type SellerReportRow = {
  key: string;
  label: string;
  orders: number;
  subOrders: number;
  salesMinor: bigint;
  estimatedMinor: bigint;
  settledMinor: bigint;
  invalidMinor: bigint;
  currency: string;
};
export type SellerOrderLine = {
  subOrderId: string;
  orderId: string;
  paidAt: string;
  productId: string;
  productTitle: string;
  storeId: string;
  status: string;
  salesMinor: bigint;
  rateBp: number;
  commissionMinor: bigint;
  settledMinor: bigint | null;
  currency: string;
};

type ReportCtx = Pick<Ctx, 'db' | 'dialect'>;
/** The longest range a seller's report or order list reads at once. */
export const MAX_SELLER_RANGE_DAYS = 366;
export const MAX_SELLER_ORDERS_PAGE = 1_000;

/**
 * The stores a seller's report reads: all of the seller's, or the one asked for (another
 * seller's store is store_not_found). Checks the range: from before to, at most a year.
 */
export async function reportStores(
  ctx: ReportCtx,
  sellerId: string,
  filter: SellerReportFilter,
): Promise<string[]> {
  const { from, to } = filter;
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()))
    throw new AppError('invalid_request', 'from and to must be dates');
  if (from >= to) throw new AppError('invalid_request', 'from must be before to');
  if (to.getTime() - from.getTime() > MAX_SELLER_RANGE_DAYS * 86_400_000)
    throw new AppError('invalid_request', `at most ${MAX_SELLER_RANGE_DAYS} days at a time`);
  if (filter.storeId === undefined) return storeIdsOfSeller(ctx.db, sellerId);
  await assertSellerStore(ctx.db, sellerId, filter.storeId);
  return [filter.storeId];
}

type Group = {
  key: string;
  label: string | null;
  settlement_currency: string;
  currency: string;
  fx_rate: string | null;
  orders: bigint | number;
  sub_orders: bigint | number;
  paid_minor: bigint | number | string;
  estimated_minor: bigint | number | string;
  settled_minor: bigint | number | string;
  invalid_minor: bigint | number | string;
};

/**
 * A seller's affiliate-driven sales and commission per UTC day of payment, per product or
 * per category (the product's category now), over its stores (or one of them): orders and
 * sub-orders counted, sales (what buyers paid at payment, converted into the settlement
 * currency at the rate locked at payment, once per group of one rate), commission estimated
 * (not settled yet, not Invalid), settled (what settlement posted) and invalid (voided). A
 * row per key and settlement currency; days in order, products and categories by sales.
 */
export async function sellerReport(
  ctx: ReportCtx,
  sellerId: string,
  by: 'day' | 'product' | 'category',
  filter: SellerReportFilter,
): Promise<SellerReportRow[]> {
  const stores = await reportStores(ctx, sellerId, filter);
  if (stores.length === 0) return [];
  const key =
    by === 'day'
      ? sql<string>`substr(s.paid_at, 1, 10)`
      : by === 'product'
        ? sql<string>`s.product_id`
        : sql<string>`p.category_id`;
  const label = by === 'day' ? key : by === 'product' ? sql<string>`p.title` : sql<string>`c.name`;
  const groups = await sql<Group>`
    select ${key} as key, ${label} as label, s.settlement_currency, s.currency, s.fx_rate,
      count(distinct s.order_id) as orders, count(*) as sub_orders,
      sum(s.paid_minor) as paid_minor,
      sum(case when s.status in ('payment_completed', 'buyer_confirmed_receipt')
        then s.commission_settlement_minor else 0 end) as estimated_minor,
      sum(case when s.status = 'completed_settlement'
        then coalesce(s.settled_minor, 0) else 0 end) as settled_minor,
      sum(case when s.status = 'invalid'
        then s.commission_settlement_minor else 0 end) as invalid_minor
    from products p
    join sub_orders s on s.product_id = p.product_id
    ${by === 'category' ? sql`left join categories c on c.id = p.category_id` : sql``}
    where p.store_id in (${sql.join(stores)})
      and s.paid_at >= ${toDbTime(filter.from)} and s.paid_at < ${toDbTime(filter.to)}
      and s.affiliate_id is not null
    group by ${key}, ${label}, s.settlement_currency, s.currency, s.fx_rate`.execute(ctx.db);
  const rows = new Map<string, SellerReportRow>();
  for (const g of groups.rows) {
    const id = `${g.key} ${g.settlement_currency}`;
    let row = rows.get(id);
    if (!row) {
      row = {
        key: g.key,
        label: g.label ?? g.key,
        orders: 0,
        subOrders: 0,
        salesMinor: 0n,
        estimatedMinor: 0n,
        settledMinor: 0n,
        invalidMinor: 0n,
        currency: g.settlement_currency,
      };
      rows.set(id, row);
    }
    row.orders += Number(g.orders);
    row.subOrders += Number(g.sub_orders);
    row.salesMinor += saleInSettlementMinor(
      {
        paid_minor: BigInt(g.paid_minor),
        currency: g.currency,
        settlement_currency: g.settlement_currency,
        fx_rate: g.fx_rate,
        settled_minor: null,
      },
      0n,
    );
    row.estimatedMinor += BigInt(g.estimated_minor);
    row.settledMinor += BigInt(g.settled_minor);
    row.invalidMinor += BigInt(g.invalid_minor);
  }
  const list = [...rows.values()];
  if (by === 'day')
    return list.sort((a, b) =>
      a.key === b.key ? a.currency.localeCompare(b.currency) : a.key < b.key ? -1 : 1,
    );
  return list.sort((a, b) =>
    a.salesMinor === b.salesMinor
      ? a.key.localeCompare(b.key) || a.currency.localeCompare(b.currency)
      : a.salesMinor > b.salesMinor
        ? -1
        : 1,
  );
}

const isPosition = (v: unknown): v is [string, string] =>
  Array.isArray(v) &&
  v.length === 2 &&
  typeof v[0] === 'string' &&
  typeof v[1] === 'string' &&
  v[0].length <= 40 &&
  v[1].length <= 200;

/**
 * A seller's affiliate-driven sub-orders paid in [from, to), in payment order, a page at a
 * time (keyset: payment time, sub-order id; `next` is the cursor of the following page):
 * the sale in the settlement currency, the rate locked at payment, the commission, what
 * settlement posted.
 */
export async function sellerOrders(
  ctx: ReportCtx,
  sellerId: string,
  query: { from: Date; to: Date; storeId?: string; after?: string; limit: number },
): Promise<{ rows: SellerOrderLine[]; next: string | null }> {
  const limit = Math.min(Math.max(Math.trunc(query.limit), 1), MAX_SELLER_ORDERS_PAGE);
  const after = query.after === undefined ? undefined : decodeCursor(query.after, isPosition);
  const stores = await reportStores(ctx, sellerId, query);
  if (stores.length === 0) return { rows: [], next: null };
  const found = await ctx.db
    .selectFrom('products as p')
    .innerJoin('sub_orders as s', 's.product_id', 'p.product_id')
    .select([
      's.sub_order_id',
      's.order_id',
      's.paid_at',
      's.product_id',
      'p.title',
      'p.store_id',
      's.status',
      's.paid_minor',
      's.currency',
      's.settlement_currency',
      's.fx_rate',
      's.rate_bp',
      's.commission_settlement_minor',
      's.settled_minor',
    ])
    .where('p.store_id', 'in', stores)
    .where('s.affiliate_id', 'is not', null)
    .where('s.paid_at', '>=', toDbTime(query.from))
    .where('s.paid_at', '<', toDbTime(query.to))
    .$if(after !== undefined, (q) => {
      const [paidAt, id] = after as [string, string];
      return q.where((eb) =>
        eb.or([
          eb('s.paid_at', '>', paidAt),
          eb.and([eb('s.paid_at', '=', paidAt), eb('s.sub_order_id', '>', id)]),
        ]),
      );
    })
    .orderBy('s.paid_at')
    .orderBy('s.sub_order_id')
    .limit(limit + 1)
    .execute();
  const page = found.slice(0, limit);
  const rows = page.map(
    (s): SellerOrderLine => ({
      subOrderId: s.sub_order_id,
      orderId: s.order_id,
      paidAt: s.paid_at as string,
      productId: s.product_id,
      productTitle: s.title,
      storeId: s.store_id,
      status: s.status,
      salesMinor: saleInSettlementMinor({ ...s, settled_minor: null }, 0n),
      rateBp: Number(s.rate_bp),
      commissionMinor: s.commission_settlement_minor,
      settledMinor: s.status === 'completed_settlement' ? (s.settled_minor ?? 0n) : null,
      currency: s.settlement_currency,
    }),
  );
  const last = page[page.length - 1];
  const next =
    found.length > limit && last ? encodeCursor([last.paid_at, last.sub_order_id]) : null;
  return { rows, next };
}
