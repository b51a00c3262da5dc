import type { Ctx } from '../context.js';
import type { OrdersTable } from '../db/types.js';
import { orderEvent, type SubOrderMoment } from '../webhooks/affiliate-events.js';
import type { AffiliateEvent } from '../webhooks/emit-events.js';
import type { Plan, SubOrderRow } from './plan-order.js';
import type { PaidOrderWrites } from './record-order-paid.js';

/** What an order event needs of its order: whose it is, through which tracking id and click. */
export type EventOrder = Pick<
  OrdersTable,
  'order_id' | 'affiliate_id' | 'tracking_id' | 'click_id'
>;
type EventSub = Pick<
  SubOrderRow,
  'sub_order_id' | 'paid_minor' | 'currency' | 'settlement_currency'
>;

function moment(order: EventOrder & { affiliate_id: string }, sub: EventSub, commission: bigint) {
  return {
    affiliateId: order.affiliate_id,
    trackingId: order.tracking_id,
    clickId: order.click_id,
    orderId: order.order_id,
    subOrderId: sub.sub_order_id,
    commissionMinor: commission,
    currency: sub.settlement_currency,
    saleMinor: sub.paid_minor,
    saleCurrency: sub.currency,
  } satisfies SubOrderMoment;
}

/**
 * order.paid for each sub-order an affiliate earns on (attributed, and not Invalid), and
 * order.held for each when the payment raised fraud flags: its commission waits for the
 * operator's review.
 */
export function paidOrderEvents({ order, subOrders, flags }: PaidOrderWrites): AffiliateEvent[] {
  const affiliateId = order.affiliate_id;
  if (!affiliateId) return [];
  const facts = {
    order_id: order.order_id,
    affiliate_id: affiliateId,
    tracking_id: order.tracking_id ?? null,
    click_id: order.click_id ?? null,
  };
  const open = flags.filter((f) => f.resolved_at === null);
  return subOrders
    .filter((sub) => sub.status !== 'invalid')
    .flatMap((sub) => {
      const m = moment(
        facts,
        { ...sub, paid_minor: BigInt(sub.paid_minor) },
        BigInt(sub.commission_settlement_minor),
      );
      const holds = open
        .filter((f) => f.sub_order_id == null || f.sub_order_id === sub.sub_order_id)
        .map((f) => ({ signal: f.signal, reason: f.reason }));
      return [
        orderEvent('order.paid', m),
        ...(holds.length ? [orderEvent('order.held', { ...m, holds })] : []),
      ];
    });
}

/**
 * order.released for sub-orders whose fraud review ended with a release: on their way again
 * (Payment Completed or Buyer Confirmed Receipt), their commission settles when due: those of
 * the order's sub-orders `freed` picks. In the caller's transaction.
 */
export async function releasedOrderEvents(
  ctx: Pick<Ctx, 'db'>,
  orderId: string,
  freed: (subOrderId: string) => boolean,
): Promise<AffiliateEvent[]> {
  const order = await ctx.db
    .selectFrom('orders')
    .select(['order_id', 'affiliate_id', 'tracking_id', 'click_id'])
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  if (!order?.affiliate_id) return [];
  const subs = await ctx.db
    .selectFrom('sub_orders')
    .select([
      'sub_order_id',
      'paid_minor',
      'currency',
      'settlement_currency',
      'commission_settlement_minor',
    ])
    .where('order_id', '=', orderId)
    .where('status', 'in', ['payment_completed', 'buyer_confirmed_receipt'])
    .orderBy('sub_order_id')
    .execute();
  const facts = { ...order, affiliate_id: order.affiliate_id };
  return subs
    .filter((sub) => freed(sub.sub_order_id))
    .map((sub) =>
      orderEvent(
        'order.released',
        moment(
          facts,
          { ...sub, paid_minor: BigInt(sub.paid_minor) },
          BigInt(sub.commission_settlement_minor),
        ),
      ),
    );
}

/** order.settled and order.invalid for the sub-orders a sync moved to those states. */
export function syncedOrderEvents(
  order: EventOrder,
  subs: readonly SubOrderRow[],
  plan: Plan,
): AffiliateEvent[] {
  const affiliateId = order.affiliate_id;
  if (!affiliateId || plan.states.length === 0) return [];
  const before = new Map(subs.map((s) => [s.sub_order_id, s]));
  const events: AffiliateEvent[] = [];
  for (const state of plan.states) {
    const sub = before.get(state.sub_order_id);
    if (!sub || sub.status === state.status) continue;
    const facts = { ...order, affiliate_id: affiliateId };
    if (state.status === 'completed_settlement')
      events.push(orderEvent('order.settled', moment(facts, sub, state.settled_minor ?? 0n)));
    else if (state.status === 'invalid')
      events.push(
        orderEvent('order.invalid', {
          ...moment(facts, sub, sub.commission_settlement_minor),
          reason: state.invalid_reason,
        }),
      );
  }
  return events;
}

/** order.settled for a sub-order the fast lane settled in full. */
export function settledInFullEvent(
  row: EventOrder & EventSub & { commission_settlement_minor: bigint },
): AffiliateEvent[] {
  if (!row.affiliate_id) return [];
  const commission = row.commission_settlement_minor > 0n ? row.commission_settlement_minor : 0n;
  return [
    orderEvent(
      'order.settled',
      moment({ ...row, affiliate_id: row.affiliate_id }, row, commission),
    ),
  ];
}
