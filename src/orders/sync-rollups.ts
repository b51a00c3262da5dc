import { OrderRollupDeltas, type RollupKey } from '../reports/order-rollups.js';
import type { EventOrder } from './order-events.js';
import type { OrderRow, Plan, SubOrderRow } from './plan-order.js';

/** A refund after settlement that took commission back. */
export type Clawback = { sub: SubOrderRow; amountMinor: bigint };
type SyncedOrder = OrderRow & EventOrder & { sub1: string | null };

/**
 * What a sync changed in the order rollups: each sub-order moved from its stored state to
 * its planned one, and each clawback booked; for the caller to write in the same
 * transaction.
 */
export function rollupChanges(
  orders: readonly SyncedOrder[],
  subsOf: ReadonlyMap<string, SubOrderRow[]>,
  plans: ReadonlyMap<string, Plan>,
  clawbacks: readonly Clawback[],
): OrderRollupDeltas {
  const rollups = new OrderRollupDeltas();
  const keyOf = (order: SyncedOrder, sub: SubOrderRow): RollupKey | undefined =>
    order.affiliate_id
      ? {
          affiliateId: order.affiliate_id,
          paidAt: order.paid_at,
          trackingId: order.tracking_id,
          sub1: order.sub1,
          productId: sub.product_id,
          currency: sub.settlement_currency,
        }
      : undefined;
  for (const order of orders) {
    const states = plans.get(order.order_id)?.states ?? [];
    if (states.length === 0) continue;
    const subs = new Map((subsOf.get(order.order_id) ?? []).map((s) => [s.sub_order_id, s]));
    for (const state of states) {
      const sub = subs.get(state.sub_order_id);
      const key = sub && keyOf(order, sub);
      if (!sub || !key) continue;
      const commissionMinor = sub.commission_settlement_minor;
      rollups.change(
        key,
        { status: sub.status, commissionMinor, settledMinor: sub.settled_minor },
        { status: state.status, commissionMinor, settledMinor: state.settled_minor },
      );
    }
  }
  const orderOf = new Map(orders.map((order) => [order.order_id, order]));
  for (const { sub, amountMinor } of clawbacks) {
    const order = orderOf.get(sub.order_id);
    const key = order && keyOf(order, sub);
    if (key) rollups.clawBack(key, amountMinor);
  }
  return rollups;
}
