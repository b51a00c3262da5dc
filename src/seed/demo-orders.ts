import { DAY_MS } from '../clock.js';
import type { DemoProduct } from './demo-program.js';
import type { SeededRandom } from './random.js';

const HOUR_MS = 3_600_000;

/** A merchant event the history will send when the clock reaches `at`. */
export type PlannedEvent = { at: number; event: Record<string, unknown> };

export type OrderInput = {
  orderId: string;
  product: DemoProduct;
  clickId: string;
  paidAt: number;
  buyerId: string;
  isNewBuyer: boolean;
  country: string;
};

/**
 * Everything the marketplace will report about one order, planned when it is paid, as a
 * buyer's path would go: most are shipped and confirmed; some confirm only by the end of
 * their protection period; some are cancelled, disputed, refunded before settlement (in
 * full or in part) or after it (a clawback). Only events up to the end of the history are
 * sent, so the newest orders are still on their way.
 */
export function planOrder(random: SeededRandom, order: OrderInput): PlannedEvent[] {
  const { orderId, product } = order;
  const subOrderId = `${orderId}-1`;
  const quantity = random.chance(0.7) ? 1 : random.chance(0.75) ? 2 : 3;
  const inEuro = random.chance(0.12);
  const unitPrice = inEuro ? (product.priceMinor * 100n) / 108n : product.priceMinor;
  const paidMinor = unitPrice * BigInt(quantity);
  const method = random.pick(product.shippingMethods.length ? product.shippingMethods : ['DHL']);
  const events: PlannedEvent[] = [];
  const add = (at: number, type: string, data: Record<string, unknown>) =>
    events.push({
      at,
      event: {
        id: `demo-${orderId}-${type}`,
        type,
        created_at: new Date(at).toISOString(),
        data: { order_id: orderId, ...data },
      },
    });
  const iso = (at: number) => new Date(at).toISOString();
  const days = (min: number, max: number) => (min + random.next() * (max - min)) * DAY_MS;

  add(order.paidAt, 'order.paid', {
    sub_orders: [
      {
        sub_order_id: subOrderId,
        product_id: product.productId,
        quantity,
        unit_price_minor: unitPrice.toString(),
        currency: inEuro ? 'EUR' : 'USD',
      },
    ],
    buyer_id: order.buyerId,
    is_new_buyer: order.isNewBuyer,
    ship_to_country: order.country,
    shipping_method: method,
    click_id: order.clickId,
    paid_at: iso(order.paidAt),
  });
  if (random.chance(0.03)) {
    const at = order.paidAt + random.int(1, 20) * HOUR_MS;
    add(at, 'order.cancelled', { cancelled_at: iso(at), reason: 'cancelled by the buyer' });
    return events;
  }
  const shippedAt = order.paidAt + random.int(12, 72) * HOUR_MS;
  add(shippedAt, 'order.shipped', { shipping_method: method, shipped_at: iso(shippedAt) });
  const confirm = (at: number) => add(at, 'order.receipt_confirmed', { confirmed_at: iso(at) });
  const refund = (at: number, amount: bigint, reason: string) =>
    add(at, 'order.refunded', {
      sub_order_id: subOrderId,
      amount_minor: amount.toString(),
      reason,
      refunded_at: iso(at),
    });

  const fate = random.next();
  if (fate < 0.6) confirm(shippedAt + days(5, 25));
  else if (fate < 0.8) {
    // The buyer never confirms: receipt is confirmed at the end of the protection period.
  } else if (fate < 0.86) {
    const openedAt = shippedAt + days(6, 20);
    const closedAt = openedAt + days(2, 10);
    const refunded = random.chance(0.5);
    add(openedAt, 'order.dispute_opened', {
      dispute_id: `${orderId}-d1`,
      opened_at: iso(openedAt),
    });
    add(closedAt, 'order.dispute_closed', {
      dispute_id: `${orderId}-d1`,
      closed_at: iso(closedAt),
      refund: refunded
        ? { sub_order_id: subOrderId, amount_minor: ((paidMinor * 4n) / 10n).toString() }
        : null,
    });
    if (random.chance(0.6)) confirm(closedAt + days(1, 3));
  } else if (fate < 0.92) {
    const at = shippedAt + days(2, 12);
    if (random.chance(0.5)) refund(at, paidMinor, 'item not as described');
    else {
      refund(at, paidMinor / 3n, 'partial refund: one item damaged');
      confirm(at + days(1, 5));
    }
  } else if (fate < 0.96) {
    // Confirmed and settled, then refunded: the commission is clawed back.
    const confirmedAt = shippedAt + days(4, 12);
    confirm(confirmedAt);
    const at = confirmedAt + days(5, 25);
    refund(at, random.chance(0.5) ? paidMinor : paidMinor / 2n, 'returned after delivery');
  } else confirm(shippedAt + days(2, 6));
  return events;
}
