import type { Selectable } from 'kysely';
import type { Db, MarketOrderEventsTable, MarketOrdersTable } from '../db/types.js';
import type { SentEvent } from './order-state.js';

export type MarketOrder = Selectable<MarketOrdersTable>;
export type MarketOrderEvent = Selectable<MarketOrderEventsTable>;

/** The most orders the buyer's list shows. */
export const MAX_LISTED_ORDERS = 100;

/** The order if this buyer placed it: another buyer's order is as good as unknown. */
export async function findBuyerOrder(
  db: Db,
  buyerId: string,
  orderId: string,
): Promise<MarketOrder | undefined> {
  return db
    .selectFrom('market_orders')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('buyer_id', '=', buyerId)
    .executeTakeFirst();
}

export async function findOrderByBuyKey(
  db: Db,
  buyerId: string,
  buyKey: string,
): Promise<MarketOrder | undefined> {
  return db
    .selectFrom('market_orders')
    .selectAll()
    .where('buyer_id', '=', buyerId)
    .where('buy_key', '=', buyKey)
    .executeTakeFirst();
}

/** The buyer's orders, newest first. */
export async function listBuyerOrders(db: Db, buyerId: string): Promise<MarketOrder[]> {
  return db
    .selectFrom('market_orders')
    .selectAll()
    .where('buyer_id', '=', buyerId)
    .where('status', '!=', 'pending')
    .orderBy('created_at', 'desc')
    .orderBy('order_id', 'desc')
    .limit(MAX_LISTED_ORDERS)
    .execute();
}

/** Whether this buyer has an order affnet accepted as paid (then the next is not a first). */
export async function hasPaidOrder(db: Db, buyerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('market_orders')
    .select('order_id')
    .where('buyer_id', '=', buyerId)
    .where('status', '!=', 'pending')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The events of an order in step order (an order has a handful). */
export async function orderEvents(db: Db, orderId: string): Promise<MarketOrderEvent[]> {
  return db
    .selectFrom('market_order_events')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('step')
    .execute();
}

/** The accepted events, as `orderState` reads them. */
export function acceptedEvents(events: readonly MarketOrderEvent[]): SentEvent[] {
  return events
    .filter((e) => e.state === 'accepted')
    .map((e) => ({
      step: Number(e.step),
      type: e.type,
      data: (JSON.parse(e.body) as { data: Record<string, unknown> }).data,
    }));
}
