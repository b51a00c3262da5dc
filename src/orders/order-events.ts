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

/** order.paid for each sub-order an affiliate earns on: attributed, and not Invalid. */
export function paidOrderEvents({ order, subOrders }: PaidOrderWrites): AffiliateEvent[] {
  const affiliateId = order.affiliate_id;
  if (!affiliateId) return [];
  const facts = {
    order_id: order.order_id,
    affiliate_id: affiliateId,
    tracking_id: order.tracking_id ?? null,
    click_id: order.click_id ?? null,
  };
  return subOrders
    .filter((sub) => sub.status !== 'invalid')
    .map((sub) =>
      orderEvent(
        'order.paid',
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
