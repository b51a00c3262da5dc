import type { Db, SubOrderStatus } from '../db/types.js';

export const subOrderStatuses = [
  'payment_completed',
  'buyer_confirmed_receipt',
  'completed_settlement',
  'invalid',
] as const satisfies readonly SubOrderStatus[];

/** One sub-order as the operator's listings and exports show it, whoever's it is. */
export type OperatorSubOrder = {
  subOrderId: string;
  orderId: string;
  /** Null when no affiliate's click was attributed the order. */
  affiliateId: string | null;
  paidAt: string;
  productId: string;
  quantity: bigint;
  status: SubOrderStatus;
  invalidReason: string | null;
  paidMinor: bigint;
  currency: string;
  rateBp: bigint;
  settlementCurrency: string;
  fxRate: string | null;
  /** Estimated commission, in the settlement currency. */
  commissionMinor: bigint;
  settledMinor: bigint | null;
  confirmedAt: string | null;
  settledAt: string | null;
};

export const MAX_OPERATOR_PAGE = 1000;

function selectSubOrders(db: Db) {
  return db
    .selectFrom('sub_orders')
    .select([
      'sub_order_id',
      'order_id',
      'affiliate_id',
      'paid_at',
      'product_id',
      'quantity',
      'status',
      'invalid_reason',
      'paid_minor',
      'currency',
      'rate_bp',
      'settlement_currency',
      'fx_rate',
      'commission_settlement_minor',
      'settled_minor',
      'confirmed_at',
      'settled_at',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectSubOrders>['execute']>>[number];

function toSubOrder(r: Row): OperatorSubOrder {
  return {
    subOrderId: r.sub_order_id,
    orderId: r.order_id,
    affiliateId: r.affiliate_id,
    paidAt: r.paid_at ?? '',
    productId: r.product_id,
    quantity: r.quantity,
    status: r.status,
    invalidReason: r.invalid_reason,
    paidMinor: r.paid_minor,
    currency: r.currency,
    rateBp: r.rate_bp,
    settlementCurrency: r.settlement_currency,
    fxRate: r.fx_rate,
    commissionMinor: r.commission_settlement_minor,
    settledMinor: r.settled_minor,
    confirmedAt: r.confirmed_at,
    settledAt: r.settled_at,
  };
}

/** Where a newest-first page ended: the last row's payment time and sub-order id. */
export type PagePosition = { paidAt: string; subOrderId: string };

/**
 * Every affiliate's sub-orders newest first (payment time, then sub-order id), optionally of
 * one status, a page after `before`: the operator's recent orders. No index covers payment
 * time across affiliates, so each page sorts the sub-orders it reads (see the report).
 */
export async function recentSubOrders(
  db: Db,
  page: { status?: SubOrderStatus | undefined; before?: PagePosition | undefined; limit: number },
): Promise<OperatorSubOrder[]> {
  const { before } = page;
  const rows = await selectSubOrders(db)
    .where('paid_at', 'is not', null)
    .$if(page.status !== undefined, (q) => q.where('status', '=', page.status as SubOrderStatus))
    .$if(before !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('paid_at', '<', (before as PagePosition).paidAt),
          eb.and([
            eb('paid_at', '=', (before as PagePosition).paidAt),
            eb('sub_order_id', '<', (before as PagePosition).subOrderId),
          ]),
        ]),
      ),
    )
    .orderBy('paid_at', 'desc')
    .orderBy('sub_order_id', 'desc')
    .limit(Math.min(Math.max(page.limit, 1), MAX_OPERATOR_PAGE))
    .execute();
  return rows.map(toSubOrder);
}

/** Every sub-order in sub-order id order after `afterId` (the primary key): the operator's export. */
export async function subOrdersAfter(
  db: Db,
  page: { afterId: string; status?: SubOrderStatus | undefined; limit: number },
): Promise<OperatorSubOrder[]> {
  const rows = await selectSubOrders(db)
    .where('sub_order_id', '>', page.afterId)
    .$if(page.status !== undefined, (q) => q.where('status', '=', page.status as SubOrderStatus))
    .orderBy('sub_order_id')
    .limit(Math.min(Math.max(page.limit, 1), MAX_OPERATOR_PAGE))
    .execute();
  return rows.map(toSubOrder);
}

/** How many sub-orders are in each status (every status, zero included). */
export async function countSubOrdersByStatus(db: Db): Promise<Record<SubOrderStatus, number>> {
  const rows = await db
    .selectFrom('sub_orders')
    .select((eb) => ['status', eb.fn.countAll<string>().as('n')])
    .groupBy('status')
    .execute();
  const counts = Object.fromEntries(subOrderStatuses.map((s) => [s, 0])) as Record<
    SubOrderStatus,
    number
  >;
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}

export type OrderDispute = {
  disputeId: string;
  openedAt: string | null;
  closedAt: string | null;
  /** What the closing granted back, if anything. */
  refund: { subOrderId: string; amountMinor: bigint } | null;
};

/** The disputes (buyer complaints) of an order, paired by dispute id, from its events. */
export async function orderDisputes(db: Db, orderId: string): Promise<OrderDispute[]> {
  const events = await db
    .selectFrom('merchant_events')
    .select(['type', 'data'])
    .where('order_id', '=', orderId)
    .where('type', 'in', ['order.dispute_opened', 'order.dispute_closed'])
    .orderBy('occurred_at')
    .orderBy('id')
    .limit(1000)
    .execute();
  const disputes = new Map<string, OrderDispute>();
  for (const event of events) {
    const data = JSON.parse(event.data) as Record<string, unknown>;
    const id = typeof data.dispute_id === 'string' ? data.dispute_id : '';
    const dispute = disputes.get(id) ?? {
      disputeId: id,
      openedAt: null,
      closedAt: null,
      refund: null,
    };
    if (event.type === 'order.dispute_opened') dispute.openedAt = String(data.opened_at ?? '');
    else {
      dispute.closedAt = String(data.closed_at ?? '');
      const refund = data.refund as {
        sub_order_id?: string;
        amount_minor?: number | string;
      } | null;
      if (refund?.sub_order_id && refund.amount_minor !== undefined)
        dispute.refund = {
          subOrderId: refund.sub_order_id,
          amountMinor: BigInt(refund.amount_minor),
        };
    }
    disputes.set(id, dispute);
  }
  return [...disputes.values()];
}
