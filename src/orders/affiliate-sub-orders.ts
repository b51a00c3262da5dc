import { type SelectQueryBuilder, sql } from 'kysely';
import { toDbTime } from '../db/time.js';
import type { Database, Db, SubOrderStatus } from '../db/types.js';
import { holdsOf } from '../fraud/flags.js';

/** One sub-order of an affiliate's order, as reports and the Open API show it. */
export type AffiliateSubOrder = {
  orderId: string;
  subOrderId: string;
  trackingId: string | null;
  clickId: string | null;
  /** The click's sub1. */
  sub1: string | null;
  status: SubOrderStatus;
  /** Why it is Invalid (null unless it is). */
  invalidReason: string | null;
  isNewBuyer: boolean;
  shipToCountry: string | null;
  productId: string;
  quantity: bigint;
  paidMinor: bigint;
  currency: string;
  rateBp: bigint;
  settlementCurrency: string;
  /** The exchange rate into the settlement currency at payment (decimal text), if converted. */
  fxRate: string | null;
  /** Estimated commission, in the settlement currency. */
  commissionMinor: bigint;
  /** What settlement posted (null until settled). */
  settledMinor: bigint | null;
  paidAt: string;
  confirmedAt: string | null;
  settledAt: string | null;
  createdAt: string;
  /**
   * Held for the program's fraud review: the open flags' signals in plain words and their
   * reasons (null when not held). The commission stays estimated meanwhile.
   */
  holdReason: string | null;
};

/** Which time a listing filters and sorts by. */
export type SubOrderTime = 'paid' | 'confirmed' | 'settled';
export const MAX_SUB_ORDER_PAGE = 50;

type Query = SelectQueryBuilder<Database, 'orders' | 'sub_orders', object>;
const timeColumn = {
  paid: 'sub_orders.paid_at',
  confirmed: 'sub_orders.confirmed_at',
  settled: 'sub_orders.settled_at',
} as const;

/** The affiliate's sub-orders (by the copy of the order's affiliate on each: one index), with their orders. */
function base(db: Db, affiliateId: string): Query {
  return db
    .selectFrom('sub_orders')
    .innerJoin('orders', 'orders.order_id', 'sub_orders.order_id')
    .where('sub_orders.affiliate_id', '=', affiliateId);
}

function selectRows(query: Query) {
  return query.select([
    'orders.order_id',
    'sub_orders.sub_order_id',
    'orders.tracking_id',
    'orders.click_id',
    'orders.sub1',
    'sub_orders.status',
    'sub_orders.invalid_reason',
    'orders.is_new_buyer',
    'orders.ship_to_country',
    'sub_orders.product_id',
    'sub_orders.quantity',
    'sub_orders.paid_minor',
    'sub_orders.currency',
    'sub_orders.rate_bp',
    'sub_orders.settlement_currency',
    'sub_orders.fx_rate',
    'sub_orders.commission_settlement_minor',
    'sub_orders.settled_minor',
    'orders.paid_at',
    'sub_orders.confirmed_at',
    'sub_orders.settled_at',
    'sub_orders.created_at',
  ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectRows>['execute']>>[number];

function toSubOrder(r: Row): AffiliateSubOrder {
  return {
    orderId: r.order_id,
    subOrderId: r.sub_order_id,
    trackingId: r.tracking_id,
    clickId: r.click_id,
    sub1: r.sub1,
    status: r.status,
    invalidReason: r.invalid_reason,
    isNewBuyer: r.is_new_buyer === 1n,
    shipToCountry: r.ship_to_country,
    productId: r.product_id,
    quantity: r.quantity,
    paidMinor: r.paid_minor,
    currency: r.currency,
    rateBp: r.rate_bp,
    settlementCurrency: r.settlement_currency,
    fxRate: r.fx_rate,
    commissionMinor: r.commission_settlement_minor,
    settledMinor: r.settled_minor,
    paidAt: r.paid_at,
    confirmedAt: r.confirmed_at,
    settledAt: r.settled_at,
    createdAt: r.created_at,
    holdReason: null,
  };
}

/** The sub-orders with their holds, if any: one read of their orders' open flags. */
async function withHolds(db: Db, subs: AffiliateSubOrder[]): Promise<AffiliateSubOrder[]> {
  const holds = await holdsOf(db, subs);
  if (holds.size === 0) return subs;
  return subs.map((s) => {
    const hold = holds.get(s.subOrderId);
    return hold ? { ...s, holdReason: hold.reason } : s;
  });
}

export type SubOrderFilter = {
  time: SubOrderTime;
  from: Date;
  to: Date;
  status?: SubOrderStatus | undefined;
};

function filtered(db: Db, affiliateId: string, f: SubOrderFilter): Query {
  const column = timeColumn[f.time];
  return base(db, affiliateId)
    .where(column, '>=', toDbTime(f.from))
    .where(column, '<=', toDbTime(f.to))
    .$if(f.status !== undefined, (q) =>
      q.where('sub_orders.status', '=', f.status as SubOrderStatus),
    );
}

/** A page of the affiliate's sub-orders in a time range, oldest first, and how many there are. */
export async function listAffiliateSubOrders(
  db: Db,
  affiliateId: string,
  filter: SubOrderFilter,
  page: { offset: number; limit: number },
): Promise<{ total: number; subOrders: AffiliateSubOrder[] }> {
  // Counted from the sub-orders' index alone: no join, no table row.
  const column = timeColumn[filter.time];
  const counted = await db
    .selectFrom('sub_orders')
    .select(sql<string>`count(*)`.as('n'))
    .where('sub_orders.affiliate_id', '=', affiliateId)
    .where(column, '>=', toDbTime(filter.from))
    .where(column, '<=', toDbTime(filter.to))
    .$if(filter.status !== undefined, (q) =>
      q.where('sub_orders.status', '=', filter.status as SubOrderStatus),
    )
    .executeTakeFirstOrThrow();
  const rows = await selectRows(filtered(db, affiliateId, filter))
    .orderBy(timeColumn[filter.time])
    .orderBy('sub_orders.sub_order_id')
    .offset(page.offset)
    .limit(Math.min(page.limit, MAX_SUB_ORDER_PAGE))
    .execute();
  return { total: Number(counted.n), subOrders: await withHolds(db, rows.map(toSubOrder)) };
}

/**
 * The next sub-orders after a cursor (the last sub-order id of the previous page), in
 * sub-order id order: paging that does not shift when new orders arrive.
 */
export async function affiliateSubOrdersAfter(
  db: Db,
  affiliateId: string,
  filter: SubOrderFilter,
  page: { after: string | undefined; limit: number },
): Promise<AffiliateSubOrder[]> {
  const rows = await selectRows(filtered(db, affiliateId, filter))
    .$if(page.after !== undefined, (q) =>
      q.where('sub_orders.sub_order_id', '>', page.after as string),
    )
    .orderBy('sub_orders.sub_order_id')
    .limit(Math.min(page.limit, MAX_SUB_ORDER_PAGE))
    .execute();
  return withHolds(db, rows.map(toSubOrder));
}

/** These sub-orders, those that are the affiliate's (others are not found, not refused). */
export async function affiliateSubOrdersByIds(
  db: Db,
  affiliateId: string,
  subOrderIds: readonly string[],
): Promise<AffiliateSubOrder[]> {
  if (subOrderIds.length === 0) return [];
  const rows = await selectRows(base(db, affiliateId))
    .where('sub_orders.sub_order_id', 'in', [...subOrderIds])
    .orderBy('sub_orders.sub_order_id')
    .execute();
  return withHolds(db, rows.map(toSubOrder));
}

/** Where a newest-first page ends: the last row's payment time and sub-order id. */
export type SubOrderPosition = { paidAt: string; subOrderId: string };

/**
 * The affiliate's sub-orders newest first (by payment, then sub-order id), optionally of
 * one status, a page after `before`: keyset paging that new orders do not shift.
 */
export async function affiliateSubOrdersNewestFirst(
  db: Db,
  affiliateId: string,
  page: {
    status?: SubOrderStatus | undefined;
    before?: SubOrderPosition | undefined;
    limit: number;
  },
): Promise<AffiliateSubOrder[]> {
  const { before } = page;
  const rows = await selectRows(base(db, affiliateId))
    .$if(page.status !== undefined, (q) =>
      q.where('sub_orders.status', '=', page.status as SubOrderStatus),
    )
    .$if(before !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('sub_orders.paid_at', '<', (before as SubOrderPosition).paidAt),
          eb.and([
            eb('sub_orders.paid_at', '=', (before as SubOrderPosition).paidAt),
            eb('sub_orders.sub_order_id', '<', (before as SubOrderPosition).subOrderId),
          ]),
        ]),
      ),
    )
    .orderBy('sub_orders.paid_at', 'desc')
    .orderBy('sub_orders.sub_order_id', 'desc')
    .limit(Math.min(Math.max(page.limit, 1), MAX_SUB_ORDER_PAGE))
    .execute();
  return withHolds(db, rows.map(toSubOrder));
}

export const MAX_EXPORT_PAGE = 1000;

/**
 * The affiliate's sub-orders paid between two times, oldest first (by payment, then
 * sub-order id), a page after `after`: keyset paging along the (affiliate, paid at,
 * sub-order id) index, so an export of any length reads each row once.
 */
export async function affiliateSubOrdersPaidBetween(
  db: Db,
  affiliateId: string,
  page: { from: Date; to: Date; after?: SubOrderPosition | undefined; limit: number },
): Promise<AffiliateSubOrder[]> {
  const { after } = page;
  const rows = await selectRows(
    filtered(db, affiliateId, { time: 'paid', from: page.from, to: page.to }),
  )
    .$if(after !== undefined, (q) =>
      q.where((eb) =>
        eb(
          eb.refTuple('sub_orders.paid_at', 'sub_orders.sub_order_id'),
          '>',
          eb.tuple((after as SubOrderPosition).paidAt, (after as SubOrderPosition).subOrderId),
        ),
      ),
    )
    .orderBy('sub_orders.paid_at')
    .orderBy('sub_orders.sub_order_id')
    .limit(Math.min(Math.max(page.limit, 1), MAX_EXPORT_PAGE))
    .execute();
  return rows.map(toSubOrder);
}
