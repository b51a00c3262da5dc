import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import type { MerchantClient } from './merchant-client.js';
import { orderState } from './order-state.js';
import { minorJson } from './place-order.js';
import { acceptedEvents, type MarketOrder, orderEvents } from './queries.js';
import type { OrderAction } from './schema.js';
import { sendOrderEvent } from './send-event.js';

export type ActionResult =
  | { kind: 'done' }
  | { kind: 'refused'; status: number; message: string; code?: string };

const EVENT_TYPE: Record<OrderAction, string> = {
  confirm: 'order.receipt_confirmed',
  dispute: 'order.dispute_opened',
  'close-dispute': 'order.dispute_closed',
  refund: 'order.refunded',
};

/**
 * The buyer's action on an order (confirm receipt, open or close a dispute, ask for a
 * refund) as the signed event affnet hears. The form carries the step of the order it was
 * shown at: the event's id is made of the order, that step and the action, so the same
 * form sent twice sends one event, and a form shown before the order changed is refused.
 */
export async function takeAction(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  merchant: MerchantClient,
  order: MarketOrder,
  action: OrderAction,
  step: number,
): Promise<ActionResult> {
  const type = EVENT_TYPE[action];
  const eventId = `${order.order_id}.${step}.${action}`;
  const events = await orderEvents(ctx.db, order.order_id);
  const twin = events.find((e) => e.event_id === eventId);
  if (twin?.state === 'accepted') return { kind: 'done' };
  const state = orderState(acceptedEvents(events));
  if (!twin) {
    if (step !== state.nextStep)
      return {
        kind: 'refused',
        status: 409,
        message: 'This order changed since the page was shown. Here it is as it stands now.',
      };
    const refusal = state.refusal[action];
    if (refusal) return { kind: 'refused', status: 409, message: refusal };
  }
  const at = toDbTime(ctx.clock.now());
  const total = BigInt(order.quantity) * BigInt(order.unit_price_minor);
  const data: Record<OrderAction, Record<string, unknown>> = {
    confirm: { order_id: order.order_id, confirmed_at: at },
    dispute: {
      order_id: order.order_id,
      dispute_id: `${order.order_id}.d${state.disputes + 1}`,
      opened_at: at,
    },
    'close-dispute': {
      order_id: order.order_id,
      dispute_id: state.openDisputeId,
      closed_at: at,
      refund: null,
    },
    refund: {
      order_id: order.order_id,
      sub_order_id: `${order.order_id}-1`,
      amount_minor: minorJson(total),
      reason: 'buyer request',
      refunded_at: at,
    },
  };
  const sent = await sendOrderEvent(ctx, merchant, {
    eventId,
    orderId: order.order_id,
    step,
    type,
    body: JSON.stringify({ id: eventId, type, created_at: at, data: data[action] }),
  });
  if (sent.kind === 'accepted') return { kind: 'done' };
  if (sent.kind === 'stale')
    return {
      kind: 'refused',
      status: 409,
      message: 'This order changed since the page was shown. Here it is as it stands now.',
    };
  return {
    kind: 'refused',
    status: sent.status,
    code: sent.code,
    message: `affnet refused it: ${sent.message}`,
  };
}
