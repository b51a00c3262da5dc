import { type Ctx, inTransaction } from '../context.js';
import { toDbTime } from '../db/time.js';
import type { SubOrderStatus } from '../db/types.js';
import { SUB_ORDER_STATES } from '../web/status-words.js';
import type { MerchantAnswer, MerchantClient } from './merchant-client.js';
import { orderState } from './order-state.js';
import { acceptedEvents, orderEvents } from './queries.js';

export type OrderEventToSend = {
  eventId: string;
  orderId: string;
  step: number;
  type: string;
  /** The event as JSON: stored first, so a retry sends exactly these bytes. */
  body: string;
};

export type SendOutcome =
  | { kind: 'accepted'; outcome: string }
  | { kind: 'refused'; status: number; code: string; message: string }
  /** Another event took this step of the order first (another tab, another click). */
  | { kind: 'stale' };

/**
 * Sends one event about a market order to affnet, once: the event is written first
 * (`sending`), with a unique id and a unique step of its order; the same event again
 * (a double-submitted form) sends the stored body again, which affnet replays. Accepted,
 * it is marked so and the order's status follows; refused, its row is removed, so a
 * refusal changes nothing on either side.
 */
export async function sendOrderEvent(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  merchant: MerchantClient,
  event: OrderEventToSend,
): Promise<SendOutcome> {
  const inserted = await ctx.db
    .insertInto('market_order_events')
    .values({
      event_id: event.eventId,
      order_id: event.orderId,
      step: event.step,
      type: event.type,
      body: event.body,
      state: 'sending',
      outcome: null,
      created_at: toDbTime(ctx.clock.now()),
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  let body = event.body;
  if (inserted.numInsertedOrUpdatedRows !== 1n) {
    const known = await ctx.db
      .selectFrom('market_order_events')
      .select(['state', 'body', 'outcome'])
      .where('event_id', '=', event.eventId)
      .executeTakeFirst();
    if (!known) return { kind: 'stale' };
    if (known.state === 'accepted') return { kind: 'accepted', outcome: known.outcome ?? '' };
    body = known.body;
  }
  const answer = await merchant.send(body);
  if (!answer.accepted) {
    await ctx.db
      .deleteFrom('market_order_events')
      .where('event_id', '=', event.eventId)
      .where('state', '=', 'sending')
      .execute();
    return { kind: 'refused', status: answer.status, code: answer.code, message: answer.message };
  }
  const outcome = describeAnswer(answer);
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .updateTable('market_order_events')
      .set({ state: 'accepted', outcome })
      .where('event_id', '=', event.eventId)
      .execute();
    const { status } = orderState(acceptedEvents(await orderEvents(tx.db, event.orderId)));
    await tx.db
      .updateTable('market_orders')
      .set({ status, updated_at: toDbTime(ctx.clock.now()) })
      .where('order_id', '=', event.orderId)
      .execute();
  });
  return { kind: 'accepted', outcome };
}

/** affnet's answer in a line: each sub-order's state in the affiliate portal's words. */
function describeAnswer(answer: MerchantAnswer & { accepted: true }): string {
  const states = answer.subOrders.map(
    (s) =>
      `${s.sub_order_id} is “${SUB_ORDER_STATES[s.status as SubOrderStatus]?.label ?? s.status}”`,
  );
  return `affnet accepted it${answer.replayed ? ' (a replay: the first answer)' : ''}${
    states.length > 0 ? `; for the affiliate, sub-order ${states.join(', ')}` : ''
  }.`;
}
