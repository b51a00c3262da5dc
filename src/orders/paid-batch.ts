import type { Insertable } from 'kysely';
import type { Ctx } from '../context.js';
import { type BulkSpec, bulkUpsert, rowsOf } from '../db/bulk-upsert.js';
import { selectWhereIn } from '../db/select-where-in.js';
import type { MerchantEventsTable } from '../db/types.js';
import { type ClickFacts, loadClickFacts } from '../tracking/attribute-click.js';
import { type PaidLookups, type PaidOrderWrites, writePaidOrders } from './record-order-paid.js';

const EVENTS_PER_INSERT = 100;
// A plain insert: an event id written meanwhile (another server) is an error, which sends
// the batch the one-by-one way.
const eventsSpec: BulkSpec = {
  table: 'merchant_events',
  columns: [
    'id',
    'type',
    'order_id',
    'content_hash',
    'data',
    'occurred_at',
    'result',
    'received_at',
  ].map((name) => ({ name, type: 'text' as const })),
  conflict: 'fail',
  update: 'nothing',
};

/**
 * The order.paid events of one batch, taken in memory and written together: what they
 * need to know of the database (event ids, orders and sub-orders already there, buyer
 * accounts, the clicks they name) is read once when the batch opens, and their writes wait until `flush` — which
 * runs before any other kind of event, and at the end. Inside the batch's one transaction:
 * on SQLite nobody else writes meanwhile; on PostgreSQL another server may, and then a
 * unique key refuses the flush and the caller takes the batch again event by event.
 */
export class PaidBatch {
  readonly #events = new Map<string, { hash: string; result: string }>();
  readonly #orders = new Set<string>();
  readonly #subOrders = new Set<string>();
  readonly #buyers = new Map<string, string>();
  #clicks = new Map<string, ClickFacts>();
  #pendingEvents: Insertable<MerchantEventsTable>[] = [];
  #pendingWrites: PaidOrderWrites[] = [];
  /** The products the batch's order.paid events name (for the rate resolver to read ahead). */
  productIds: string[] = [];

  static async open(ctx: Pick<Ctx, 'db' | 'sqlite'>, raws: readonly unknown[]): Promise<PaidBatch> {
    const batch = new PaidBatch();
    const ids: string[] = [];
    const orderIds: string[] = [];
    const subOrderIds: string[] = [];
    const buyerIds: string[] = [];
    const clickIds: string[] = [];
    for (const raw of raws) {
      const event = raw as {
        id?: unknown;
        data?: { order_id?: unknown; buyer_id?: unknown; click_id?: unknown; sub_orders?: unknown };
      };
      if (typeof event?.id === 'string') ids.push(event.id);
      if (typeof event?.data?.order_id === 'string') orderIds.push(event.data.order_id);
      if (typeof event?.data?.buyer_id === 'string') buyerIds.push(event.data.buyer_id);
      if (typeof event?.data?.click_id === 'string') clickIds.push(event.data.click_id);
      if (Array.isArray(event?.data?.sub_orders))
        for (const sub of event.data.sub_orders as {
          sub_order_id?: unknown;
          product_id?: unknown;
        }[]) {
          if (typeof sub?.sub_order_id === 'string') subOrderIds.push(sub.sub_order_id);
          if (typeof sub?.product_id === 'string') batch.productIds.push(sub.product_id);
        }
    }
    for (const row of await selectWhereIn<{ id: string; content_hash: string; result: string }>(
      ctx,
      {
        from: 'merchant_events',
        columns: ['id', 'content_hash', 'result'],
        column: 'id',
        values: ids,
      },
    ))
      batch.#events.set(row.id, { hash: row.content_hash, result: row.result });
    for (const row of await selectWhereIn<{ order_id: string }>(ctx, {
      from: 'orders',
      columns: ['order_id'],
      column: 'order_id',
      values: orderIds,
    }))
      batch.#orders.add(row.order_id);
    for (const row of await selectWhereIn<{ sub_order_id: string }>(ctx, {
      from: 'sub_orders',
      columns: ['sub_order_id'],
      column: 'sub_order_id',
      values: subOrderIds,
    }))
      batch.#subOrders.add(row.sub_order_id);
    for (const row of await selectWhereIn<{ buyer_id: string; affiliate_id: string }>(ctx, {
      from: 'affiliate_buyers',
      columns: ['buyer_id', 'affiliate_id'],
      column: 'buyer_id',
      values: buyerIds,
    }))
      batch.#buyers.set(row.buyer_id, row.affiliate_id);
    batch.#clicks = await loadClickFacts(ctx.db, clickIds);
    return batch;
  }

  /** An event already received (before, or earlier in this batch): its content hash and outcome. */
  knownEvent(id: string): { hash: string; result: string } | undefined {
    return this.#events.get(id);
  }

  hasOrder(orderId: string): boolean {
    return this.#orders.has(orderId);
  }

  readonly lookups: PaidLookups = {
    takenSubOrder: async (ids) => ids.find((id) => this.#subOrders.has(id)),
    buyerOwner: async (buyerId) => this.#buyers.get(buyerId),
    click: async (clickId) => this.#clicks.get(clickId.toLowerCase()),
  };

  /** Keeps an accepted order.paid for the next flush. */
  add(event: Insertable<MerchantEventsTable>, writes: PaidOrderWrites): void {
    this.#pendingEvents.push(event);
    this.#pendingWrites.push(writes);
    this.#events.set(event.id, { hash: event.content_hash, result: event.result });
    this.#orders.add(writes.order.order_id);
    for (const sub of writes.subOrders) this.#subOrders.add(sub.sub_order_id);
  }

  /** Remembers an event taken the ordinary way, so a repeat later in the batch replays it. */
  noteEvent(id: string, hash: string, result: string): void {
    this.#events.set(id, { hash, result });
  }

  async flush(ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>): Promise<void> {
    if (this.#pendingEvents.length === 0) return;
    const events = this.#pendingEvents;
    const writes = this.#pendingWrites;
    this.#pendingEvents = [];
    this.#pendingWrites = [];
    for (let start = 0; start < events.length; start += EVENTS_PER_INSERT)
      await bulkUpsert(
        ctx,
        eventsSpec,
        rowsOf(eventsSpec, events.slice(start, start + EVENTS_PER_INSERT)),
      );
    await writePaidOrders(ctx, writes);
  }
}
