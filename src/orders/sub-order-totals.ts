import { sql } from 'kysely';
import type { Db, SubOrderStatus } from '../db/types.js';

/** An affiliate's sub-orders of one rollup key and status, summed. */
export type SubOrderTotal = {
  /** UTC day of payment. */
  day: string;
  /** The tracking id's row id ('' when none). */
  trackingId: string;
  /** The click's sub1 ('' when none). */
  sub1: string;
  productId: string;
  /** Settlement currency. */
  currency: string;
  status: SubOrderStatus;
  subOrders: bigint;
  /** Sum of commission_settlement_minor. */
  commissionMinor: bigint;
  /** Sum of settled_minor (0 where null). */
  settledMinor: bigint;
};

/**
 * An affiliate's sub-orders paid between two UTC days (inclusive), summed by day, tracking
 * id, sub1, product, settlement currency and status: the source the order rollups are
 * checked against (`affnet reports verify`). Reads the sub-orders themselves, so it is
 * for audits, not for reports.
 */
export async function subOrderTotals(
  db: Db,
  affiliateId: string,
  days: { from: string; to: string },
): Promise<SubOrderTotal[]> {
  const day = sql<string>`substr(s.paid_at, 1, 10)`;
  const tracking = sql<string>`coalesce(o.tracking_id, '')`;
  const sub1 = sql<string>`coalesce(o.sub1, '')`;
  const rows = await db
    .selectFrom('sub_orders as s')
    .innerJoin('orders as o', 'o.order_id', 's.order_id')
    .select([
      day.as('day'),
      tracking.as('tracking_id'),
      sub1.as('sub1'),
      's.product_id',
      's.settlement_currency',
      's.status',
      sql<bigint>`count(*)`.as('sub_orders'),
      sql<bigint>`cast(sum(s.commission_settlement_minor) as bigint)`.as('commission'),
      sql<bigint>`cast(sum(coalesce(s.settled_minor, 0)) as bigint)`.as('settled'),
    ])
    .where('s.affiliate_id', '=', affiliateId)
    .where('s.paid_at', '>=', `${days.from}T00:00:00.000Z`)
    .where('s.paid_at', '<=', `${days.to}T23:59:59.999Z`)
    .groupBy([day, tracking, sub1, 's.product_id', 's.settlement_currency', 's.status'])
    .execute();
  return rows.map((r) => ({
    day: r.day,
    trackingId: r.tracking_id,
    sub1: r.sub1,
    productId: r.product_id,
    currency: r.settlement_currency,
    status: r.status,
    subOrders: BigInt(r.sub_orders),
    commissionMinor: BigInt(r.commission),
    settledMinor: BigInt(r.settled),
  }));
}

/** The UTC days of an affiliate's first and last paid sub-order, if it has any. */
export async function affiliatePaidSpan(
  db: Db,
  affiliateId: string,
): Promise<{ first: string; last: string } | undefined> {
  const row = await db
    .selectFrom('sub_orders')
    .select([
      sql<string | null>`min(paid_at)`.as('first'),
      sql<string | null>`max(paid_at)`.as('last'),
    ])
    .where('affiliate_id', '=', affiliateId)
    .executeTakeFirst();
  return row?.first && row.last
    ? { first: row.first.slice(0, 10), last: row.last.slice(0, 10) }
    : undefined;
}
