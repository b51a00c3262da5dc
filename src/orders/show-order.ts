import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import { holdsOf } from '../fraud/flags.js';

/** An order with each sub-order's status, commission, explanation and any hold for fraud review. */
export async function showOrder(db: Db, orderId: string) {
  const order = await db
    .selectFrom('orders')
    .selectAll()
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  if (!order) throw new AppError('order_not_found', `no order ${orderId}`);
  const subs = await db
    .selectFrom('sub_orders')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('sub_order_id')
    .execute();
  const holds = await holdsOf(
    db,
    subs.map((s) => ({ orderId: s.order_id, subOrderId: s.sub_order_id, status: s.status })),
  );
  return {
    order_id: order.order_id,
    buyer_id: order.buyer_id,
    affiliate_id: order.affiliate_id,
    tracking_id: order.tracking_id,
    click_id: order.click_id,
    paid_at: order.paid_at,
    attribution: JSON.parse(order.attribution) as unknown,
    sub_orders: subs.map((s) => ({
      sub_order_id: s.sub_order_id,
      product_id: s.product_id,
      status: s.status,
      invalid_reason: s.invalid_reason,
      paid_minor: s.paid_minor,
      currency: s.currency,
      rate_bp: s.rate_bp,
      commission_minor: s.commission_minor,
      fx_rate: s.fx_rate,
      commission_settlement_minor: s.commission_settlement_minor,
      settlement_currency: s.settlement_currency,
      settled_minor: s.settled_minor,
      confirmed_at: s.confirmed_at,
      settled_at: s.settled_at,
      explanation: JSON.parse(s.explanation) as string[],
      /** Held for the program's fraud review: the commission stays estimated until released. */
      held: holds.has(s.sub_order_id),
      hold_reason: holds.get(s.sub_order_id)?.reason ?? null,
    })),
  };
}
