import type { Insertable } from 'kysely';
import type { Clock } from '../clock.js';
import type { Ctx } from '../context.js';
import { selectWhereIn } from '../db/select-where-in.js';
import { toDbTime } from '../db/time.js';
import type { Db, OrderFlagsTable } from '../db/types.js';
import { newId } from '../lib/ids.js';
import type { OrderFlag } from '../orders/order-facts.js';
import { type FraudSignal, type RaisedSignal, RULE, SIGNAL_WORDS } from './signals.js';

export type NewFlag = Insertable<OrderFlagsTable>;

/**
 * The flags of an order's signals, open for review; or, for a rule that decides at once
 * (a self-purchase), already resolved as invalidated by the rule, so the operator sees it
 * among the flags.
 */
export function flagsFor(
  clock: Clock,
  order: { orderId: string; affiliateId: string },
  signals: readonly RaisedSignal[],
  resolved?: { note: string },
): NewFlag[] {
  const now = toDbTime(clock.now());
  return signals.map((s) => ({
    id: newId('flag', clock),
    order_id: order.orderId,
    sub_order_id: null,
    affiliate_id: order.affiliateId,
    signal: s.signal,
    reason: s.reason,
    created_at: now,
    resolved_at: resolved ? now : null,
    resolution: resolved ? ('invalidated' as const) : null,
    resolved_by: resolved ? RULE : null,
    resolution_note: resolved?.note ?? null,
  }));
}

/** Writes new flags, in the transaction of the payments that raised them. */
export async function recordFlags(ctx: Pick<Ctx, 'db'>, flags: readonly NewFlag[]): Promise<void> {
  for (let start = 0; start < flags.length; start += 200)
    await ctx.db
      .insertInto('order_flags')
      .values(flags.slice(start, start + 200))
      .execute();
}

/** Every flag of these orders, as the life cycle reads them (one statement). */
export async function flagsOfOrders(
  ctx: Pick<Ctx, 'db' | 'sqlite'>,
  orderIds: readonly string[],
): Promise<(OrderFlag & { order_id: string })[]> {
  return selectWhereIn(ctx, {
    from: 'order_flags',
    columns: ['id', 'order_id', 'sub_order_id', 'reason', 'resolution'],
    column: 'order_id',
    values: orderIds,
  });
}

const ORDERS_PER_READ = 1000;

/** Why a sub-order is held: its open flags' signals in plain words, and their reasons. */
export type Hold = { signals: FraudSignal[]; reason: string };

/**
 * The holds of these sub-orders (their orders' open flags, or their own), for listings: one
 * indexed read by order. Only sub-orders still on their way are held (a settled or Invalid
 * one is final whatever its flags say).
 */
export async function holdsOf(
  db: Db,
  subs: readonly { orderId: string; subOrderId: string; status: string }[],
): Promise<Map<string, Hold>> {
  const pending = subs.filter(
    (s) => s.status === 'payment_completed' || s.status === 'buyer_confirmed_receipt',
  );
  const holds = new Map<string, Hold>();
  if (pending.length === 0) return holds;
  const orderIds = [...new Set(pending.map((s) => s.orderId))];
  const byOrder = new Map<
    string,
    { sub_order_id: string | null; signal: string; reason: string }[]
  >();
  for (let start = 0; start < orderIds.length; start += ORDERS_PER_READ) {
    const flags = await db
      .selectFrom('order_flags')
      .select(['order_id', 'sub_order_id', 'signal', 'reason'])
      .where('order_id', 'in', orderIds.slice(start, start + ORDERS_PER_READ))
      .where('resolved_at', 'is', null)
      .orderBy('id')
      .execute();
    for (const f of flags) byOrder.set(f.order_id, [...(byOrder.get(f.order_id) ?? []), f]);
  }
  if (byOrder.size === 0) return holds;
  for (const sub of pending) {
    const own = (byOrder.get(sub.orderId) ?? []).filter(
      (f) => f.sub_order_id === null || f.sub_order_id === sub.subOrderId,
    );
    if (own.length === 0) continue;
    holds.set(sub.subOrderId, {
      signals: own.map((f) => f.signal as FraudSignal),
      reason: own
        .map((f) => `${SIGNAL_WORDS[f.signal as FraudSignal] ?? f.signal}: ${f.reason}`)
        .join('; '),
    });
  }
  return holds;
}
