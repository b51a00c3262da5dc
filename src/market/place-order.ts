import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import { ulid } from '../lib/ulid.js';
import type { MerchantClient } from './merchant-client.js';
import { findOrderByBuyKey, hasPaidOrder, type MarketOrder } from './queries.js';
import { type SendOutcome, sendOrderEvent } from './send-event.js';

export type PlaceOrderInput = {
  buyerId: string;
  /** The Buy form's idempotency key. */
  buyKey: string;
  product: { productId: string; title: string; priceMinor: bigint; currency: string };
  quantity: number;
  shippingMethod: string;
  clickId: string | null;
};

export type PlaceOrderResult =
  | { kind: 'placed'; orderId: string; shipment: SendOutcome }
  | { kind: 'replayed'; orderId: string }
  | { kind: 'refused'; status: number; code: string; message: string };

/**
 * A purchase: the market's order, a signed `order.paid` to affnet (one sub-order
 * `<order>-1`, with the click), and, as the demo's seller ships at once, `order.shipped`.
 * The same Buy form sent twice places one order. When affnet refuses the payment the
 * market keeps nothing of it.
 */
export async function placeOrder(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  merchant: MerchantClient,
  input: PlaceOrderInput,
): Promise<PlaceOrderResult> {
  let order = await findOrderByBuyKey(ctx.db, input.buyerId, input.buyKey);
  if (!order) {
    const now = ctx.clock.now();
    await ctx.db
      .insertInto('market_orders')
      .values({
        order_id: `mkt-${ulid(now.getTime())}`,
        buyer_id: input.buyerId,
        buy_key: input.buyKey,
        product_id: input.product.productId,
        title: input.product.title,
        quantity: input.quantity,
        unit_price_minor: input.product.priceMinor,
        currency: input.product.currency,
        shipping_method: input.shippingMethod,
        click_id: input.clickId,
        status: 'pending',
        created_at: toDbTime(now),
        updated_at: toDbTime(now),
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    // Ours, or the one a twin of this request wrote a moment earlier.
    order = (await findOrderByBuyKey(ctx.db, input.buyerId, input.buyKey)) as MarketOrder;
  }
  if (order.status !== 'pending') return { kind: 'replayed', orderId: order.order_id };

  const isNewBuyer = !(await hasPaidOrder(ctx.db, input.buyerId));
  const paid = await sendOrderEvent(ctx, merchant, {
    eventId: `${order.order_id}.1.paid`,
    orderId: order.order_id,
    step: 1,
    type: 'order.paid',
    body: paidBody(order, isNewBuyer),
  });
  if (paid.kind === 'refused') {
    await ctx.db
      .deleteFrom('market_orders')
      .where('order_id', '=', order.order_id)
      .where('status', '=', 'pending')
      .execute();
    return paid;
  }
  const shippedAt = toDbTime(ctx.clock.now());
  const shipment = await sendOrderEvent(ctx, merchant, {
    eventId: `${order.order_id}.2.shipped`,
    orderId: order.order_id,
    step: 2,
    type: 'order.shipped',
    body: JSON.stringify({
      id: `${order.order_id}.2.shipped`,
      type: 'order.shipped',
      created_at: shippedAt,
      data: {
        order_id: order.order_id,
        shipping_method: order.shipping_method,
        shipped_at: shippedAt,
      },
    }),
  });
  return { kind: 'placed', orderId: order.order_id, shipment };
}

/** The order.paid event of a market order, built from its row alone. */
function paidBody(order: MarketOrder, isNewBuyer: boolean): string {
  const id = `${order.order_id}.1.paid`;
  return JSON.stringify({
    id,
    type: 'order.paid',
    created_at: order.created_at,
    data: {
      order_id: order.order_id,
      sub_orders: [
        {
          sub_order_id: `${order.order_id}-1`,
          product_id: order.product_id,
          quantity: Number(order.quantity),
          unit_price_minor: minorJson(order.unit_price_minor),
          currency: order.currency,
        },
      ],
      buyer_id: order.buyer_id,
      is_new_buyer: isNewBuyer,
      ship_to_country: 'DE',
      shipping_method: order.shipping_method,
      click_id: order.click_id,
      paid_at: order.created_at,
    },
  });
}

/** Minor units as merchant events carry them: a JSON number, or digits past 2^53. */
export function minorJson(amount: bigint): number | string {
  return amount <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(amount) : amount.toString();
}
