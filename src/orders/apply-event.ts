import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import type { IngestCaches } from './ingest-caches.js';
import { protectionDaysOf, refundOf } from './order-facts.js';
import type { SubOrderSummary } from './plan-order.js';
import { recordOrderPaid } from './record-order-paid.js';
import type { EventType, OrderPaid } from './schema.js';
import { syncOrder } from './sync-order.js';

type EventCtx = Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>;

/** An order as an event finds it, locked for the event's transaction (see lockOrder). */
export type LockedOrder = { order_id: string; paid_at: string };

/**
 * What an accepted event does to its order (`order`: as lockOrder found it), inside the
 * event's transaction: an order.paid records the order; any other event must name a paid
 * order and its own sub-orders, a known shipping method and a refund within what was paid,
 * and then the order is synced.
 */
export async function applyEvent(
  tx: EventCtx,
  type: EventType,
  data: Record<string, unknown> & { order_id: string },
  caches: IngestCaches,
  order: LockedOrder | undefined,
): Promise<SubOrderSummary[]> {
  if (type === 'order.paid') {
    if (order)
      throw new AppError(
        'order_already_paid',
        `order ${data.order_id} was reported paid by another event`,
      );
    const paid = data as OrderPaid;
    const { needsSync, subOrders } = await recordOrderPaid(tx, paid, caches);
    if (needsSync)
      return syncOrder(tx, paid.order_id, { settle: false, settings: caches.settings });
    return subOrders;
  }
  const subs = order
    ? await tx.db
        .selectFrom('sub_orders')
        .select(['sub_order_id', 'paid_minor'])
        .where('order_id', '=', data.order_id)
        .execute()
    : [];
  await checkOrderEvent(type, data, caches, order, subs, (subOrderId) =>
    refundedSoFar(tx, data.order_id, subOrderId),
  );
  return syncOrder(tx, data.order_id, { settle: false, settings: caches.settings });
}

/**
 * The rules a non-paid event must meet against its order as stored (`order` undefined: not
 * paid): it names a paid order and its own sub-orders, a known shipping method and a refund
 * within what was paid. Throws the refusal; the batch path (event-wave.ts) checks with the
 * same rules on what it read for many events at once.
 */
export async function checkOrderEvent(
  type: EventType,
  data: Record<string, unknown> & { order_id: string },
  caches: Pick<IngestCaches, 'settings'>,
  order: { paid_at: string } | undefined,
  subs: readonly { sub_order_id: string; paid_minor: bigint }[],
  refundedBefore: (subOrderId: string) => Promise<bigint>,
): Promise<void> {
  if (!order)
    throw new AppError('order_not_found', `order ${data.order_id} was never reported paid`);
  const known = new Map(subs.map((s) => [s.sub_order_id, s]));
  const named = [
    ...((data.sub_order_ids as string[] | undefined) ?? []),
    ...(typeof data.sub_order_id === 'string' ? [data.sub_order_id] : []),
    ...((data.refund as { sub_order_id?: string } | null | undefined)?.sub_order_id
      ? [(data.refund as { sub_order_id: string }).sub_order_id]
      : []),
  ];
  for (const subOrderId of named)
    if (!known.has(subOrderId))
      throw new AppError(
        'sub_order_not_found',
        `order ${data.order_id} has no sub-order ${subOrderId}`,
      );
  if (type === 'order.shipped') {
    const settings = caches.settings.at(new Date(order.paid_at));
    if (protectionDaysOf(settings, data.shipping_method as string) === undefined)
      throw new AppError(
        'unknown_shipping_method',
        `shipping method ${data.shipping_method} has no protection period (settings: shippingMethodClasses)`,
      );
  }
  const refunded =
    type === 'order.refunded'
      ? (data.sub_order_id as string)
      : (data.refund as { sub_order_id?: string } | null | undefined)?.sub_order_id;
  const amount = refunded ? refundOf({ type, values: data }, refunded) : 0n;
  if (refunded && amount > 0n) {
    const paid = known.get(refunded)?.paid_minor ?? 0n;
    const before = await refundedBefore(refunded);
    if (before + amount > paid)
      throw new AppError(
        'refund_exceeds_paid',
        `a refund of ${amount} would bring sub-order ${refunded}'s refunds to ${before + amount}, above the ${paid} paid`,
      );
  }
}

/**
 * The order an event names, or undefined when it is not paid yet. On PostgreSQL its row
 * stays locked to the end of the transaction: one event of an order at a time (SQLite has
 * a single writer anyway). An event locks its order before it claims its id, the order the
 * batch path (event-wave.ts) locks in, so twins on two servers wait instead of deadlocking.
 */
export async function lockOrder(
  tx: Pick<Ctx, 'db' | 'dialect'>,
  orderId: string,
): Promise<LockedOrder | undefined> {
  let query = tx.db
    .selectFrom('orders')
    .select(['order_id', 'paid_at'])
    .where('order_id', '=', orderId);
  if (tx.dialect === 'postgres') query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The events that give money back on a sub-order: refunds, and refunds granted in disputes. */
export const REFUND_EVENT_TYPES: readonly EventType[] = ['order.refunded', 'order.dispute_closed'];

/** Refunds of a sub-order already accepted (order.refunded and refunds granted in disputes). */
async function refundedSoFar(
  tx: Pick<Ctx, 'db'>,
  orderId: string,
  subOrderId: string,
): Promise<bigint> {
  const rows = await tx.db
    .selectFrom('merchant_events')
    .select(['type', 'data'])
    .where('order_id', '=', orderId)
    .where('type', 'in', REFUND_EVENT_TYPES)
    .where('result', '<>', '')
    .execute();
  return refundedIn(rows, subOrderId);
}

/** What the stored refund events (order.refunded, order.dispute_closed) gave back on a sub-order. */
export function refundedIn(
  rows: readonly { type: string; data: string }[],
  subOrderId: string,
): bigint {
  let sum = 0n;
  for (const row of rows)
    sum += refundOf(
      { type: row.type, values: JSON.parse(row.data) as Record<string, unknown> },
      subOrderId,
    );
  return sum;
}
