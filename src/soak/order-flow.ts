import type { SeededRandom } from '../seed/random.js';
import type { ClickPool } from './click-pool.js';

export type SoakProduct = { productId: string; priceMinor: number };
export type MerchantEvent = {
  id: string;
  type: string;
  created_at: string;
  data: Record<string, unknown>;
};
type Step =
  | 'order.shipped'
  | 'order.refunded'
  | 'order.dispute_opened'
  | 'order.dispute_closed'
  | 'order.receipt_confirmed'
  | 'order.cancelled';
type SubOrder = { subOrderId: string; productId: string; priceMinor: number; quantity: number };
export type FlowOrder = {
  orderId: string;
  subOrders: SubOrder[];
  shippingMethod: string;
  /** The events after order.paid, in the order they are sent. */
  steps: Step[];
  sent: number;
  readyMs: number;
};

const COUNTRIES = ['DE', 'US', 'FR', 'PL', 'ES'];
const METHODS = ['DHL', 'UPS', 'CHINA_POST', 'EMS'];
/** Orders waiting for their next event: a few seconds' worth at 200 events/s. */
const MAX_WAITING = 20_000;

/**
 * The marketplace's side of the soak, compressed from days into seconds: each order is paid
 * with the click id of an earlier click, then (3% cancelled instead) shipped, sometimes
 * disputed (2%) or refunded (8%: half of one sub-order, or all of a sole one, which ends it),
 * then confirmed by the buyer. An order's next event is due 1–3 s after the previous one was
 * accepted, so the server never sees an event before the one it follows.
 */
export class OrderFlow {
  #count = 0;
  /** By readyMs, oldest first. */
  readonly #waiting: FlowOrder[] = [];
  readonly sentByType = new Map<string, number>();

  constructor(
    private readonly random: SeededRandom,
    private readonly runId: string,
    private readonly products: readonly SoakProduct[],
    private readonly clicks: ClickPool,
  ) {}

  /**
   * The next event to send: a follow-up whose time has come, else a new order's order.paid;
   * undefined when neither is ready (no click old enough yet).
   */
  next(nowMs: number): { order: FlowOrder; event: MerchantEvent } | undefined {
    const first = this.#waiting[0];
    if (first && first.readyMs <= nowMs) {
      this.#waiting.shift();
      const step = first.steps[first.sent] as Step;
      first.sent += 1;
      return this.#counted(first, this.#followUp(first, step));
    }
    const clickId = this.clicks.take(nowMs);
    if (!clickId) return undefined;
    return this.#newOrder(clickId);
  }

  /** The server's answer: accepted, the next step waits 1–3 s; refused, the order stops. */
  answered(order: FlowOrder, accepted: boolean, nowMs: number): void {
    if (!accepted || order.sent >= order.steps.length) return;
    if (this.#waiting.length >= MAX_WAITING) throw new Error('too many orders waiting');
    order.readyMs = nowMs + 1000 + this.random.next() * 2000;
    // Insert in time order; new entries are nearly always the latest, so search from the end.
    let at = this.#waiting.length;
    while (at > 0 && (this.#waiting[at - 1] as FlowOrder).readyMs > order.readyMs) at -= 1;
    this.#waiting.splice(at, 0, order);
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  #newOrder(clickId: string): { order: FlowOrder; event: MerchantEvent } {
    const n = this.#count;
    this.#count += 1;
    const r = this.random;
    const orderId = `${this.runId}-${n}`;
    const subCount = r.chance(0.7) ? 1 : r.chance(0.66) ? 2 : 3;
    const subOrders = Array.from({ length: subCount }, (_, k) => {
      const product = r.pick(this.products);
      return {
        subOrderId: `${orderId}-${k + 1}`,
        productId: product.productId,
        priceMinor: product.priceMinor,
        quantity: r.int(1, 2),
      };
    });
    const order: FlowOrder = {
      orderId,
      subOrders,
      shippingMethod: r.pick(METHODS),
      steps: this.#plan(subCount),
      sent: 0,
      readyMs: 0,
    };
    const now = new Date().toISOString();
    return this.#counted(order, {
      id: `${orderId}-paid`,
      type: 'order.paid',
      created_at: now,
      data: {
        order_id: orderId,
        sub_orders: subOrders.map((s) => ({
          sub_order_id: s.subOrderId,
          product_id: s.productId,
          quantity: s.quantity,
          unit_price_minor: s.priceMinor,
          currency: 'USD',
        })),
        buyer_id: `buyer-${n % 5000}`,
        is_new_buyer: n % 7 === 0,
        ship_to_country: r.pick(COUNTRIES),
        shipping_method: order.shippingMethod,
        click_id: clickId,
        paid_at: now,
      },
    });
  }

  #plan(subCount: number): Step[] {
    const r = this.random;
    if (r.chance(0.03)) return ['order.cancelled'];
    const steps: Step[] = ['order.shipped'];
    if (r.chance(0.02)) steps.push('order.dispute_opened', 'order.dispute_closed');
    if (r.chance(0.08)) {
      steps.push('order.refunded');
      // A sole sub-order refunded in full: the buyer has nothing to confirm.
      if (subCount === 1 && r.chance(0.5)) return steps;
    }
    steps.push('order.receipt_confirmed');
    return steps;
  }

  #followUp(order: FlowOrder, step: Step): MerchantEvent {
    const now = new Date().toISOString();
    const first = order.subOrders[0] as SubOrder;
    const data: Record<string, unknown> = { order_id: order.orderId };
    if (step === 'order.shipped')
      Object.assign(data, { shipping_method: order.shippingMethod, shipped_at: now });
    else if (step === 'order.cancelled')
      Object.assign(data, { cancelled_at: now, reason: 'cancelled by the buyer' });
    else if (step === 'order.dispute_opened')
      Object.assign(data, { dispute_id: `${order.orderId}-d`, opened_at: now });
    else if (step === 'order.dispute_closed')
      Object.assign(data, { dispute_id: `${order.orderId}-d`, closed_at: now, refund: null });
    else if (step === 'order.refunded') {
      const paid = first.priceMinor * first.quantity;
      const whole =
        order.subOrders.length === 1 && !order.steps.includes('order.receipt_confirmed');
      Object.assign(data, {
        sub_order_id: first.subOrderId,
        amount_minor: whole ? paid : Math.floor(paid / 2),
        reason: whole ? 'not as described' : 'partial refund: one item damaged',
        refunded_at: now,
      });
    } else Object.assign(data, { confirmed_at: now });
    return { id: `${order.orderId}-${step.slice(6)}`, type: step, created_at: now, data };
  }

  #counted(order: FlowOrder, event: MerchantEvent): { order: FlowOrder; event: MerchantEvent } {
    this.sentByType.set(event.type, (this.sentByType.get(event.type) ?? 0) + 1);
    return { order, event };
  }
}
