import type { Insertable } from 'kysely';
import type { Ctx } from '../context.js';
import { type BulkSpec, bulkUpsert, rowsOf } from '../db/bulk-upsert.js';
import { selectWhereIn } from '../db/select-where-in.js';
import type { MerchantEventsTable } from '../db/types.js';
import {
  type BurstWindow,
  burstWindow,
  type VisitorWindow,
  visitorWindow,
} from '../fraud/click-windows.js';
import { SignalReads } from '../fraud/signal-reads.js';
import type { ProgramSettings } from '../settings/schema.js';
import { type ClickFacts, loadClickFacts } from '../tracking/attribute-click.js';
import type { PaidLookups } from './paid-lookups.js';
import { type PaidOrderWrites, writePaidOrders } from './record-order-paid.js';

const EVENTS_PER_INSERT = 100;
// A plain insert: an event id written meanwhile (another server) is an error, which sends
// the batch the one-by-one way.
export const eventsSpec: BulkSpec = {
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
 * An id worth reading ahead, before the events are checked: a string PostgreSQL can compare
 * (a NUL failed the whole batch's read with a 500; such an event is refused by its schema).
 */
const readable = (value: unknown): value is string =>
  typeof value === 'string' && !value.includes('\u0000');

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
  readonly #signals: SignalReads;
  #pendingEvents: Insertable<MerchantEventsTable>[] = [];
  #pendingWrites: PaidOrderWrites[] = [];
  /** The products the batch's order.paid events name (for the rate resolver to read ahead). */
  productIds: string[] = [];

  static async open(
    ctx: Pick<Ctx, 'db' | 'sqlite'>,
    raws: readonly unknown[],
    /** The settings history: with it, the fraud signals' click counts are read ahead too. */
    settings?: { at(at: Date): ProgramSettings },
  ): Promise<PaidBatch> {
    const batch = new PaidBatch(ctx);
    const payments: { clickId: string; paidAt: Date }[] = [];
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
      if (readable(event?.id)) ids.push(event.id);
      if (readable(event?.data?.order_id)) orderIds.push(event.data.order_id);
      if (readable(event?.data?.buyer_id)) buyerIds.push(event.data.buyer_id);
      if (readable(event?.data?.click_id)) {
        clickIds.push(event.data.click_id);
        const paidAt = new Date((event.data as { paid_at?: never }).paid_at ?? Number.NaN);
        if (!Number.isNaN(paidAt.getTime()))
          payments.push({ clickId: event.data.click_id.toLowerCase(), paidAt });
      }
      if (Array.isArray(event?.data?.sub_orders))
        for (const sub of event.data.sub_orders as {
          sub_order_id?: unknown;
          product_id?: unknown;
        }[]) {
          if (readable(sub?.sub_order_id)) subOrderIds.push(sub.sub_order_id);
          if (readable(sub?.product_id)) batch.productIds.push(sub.product_id);
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
    if (settings) await batch.#readSignalsAhead(payments, settings);
    return batch;
  }

  /** The click windows the payments' fraud signals will count, counted in one go. */
  async #readSignalsAhead(
    payments: readonly { clickId: string; paidAt: Date }[],
    settings: { at(at: Date): ProgramSettings },
  ): Promise<void> {
    const visitors: VisitorWindow[] = [];
    const bursts: BurstWindow[] = [];
    for (const { clickId, paidAt } of payments) {
      const click = this.#clicks.get(clickId);
      if (!click || click.isBot || click.affiliateStatus !== 'approved') continue;
      const rules = settings.at(paidAt);
      if (rules.fraudClickFloodPerVisitor > 0) visitors.push(visitorWindow(click, paidAt));
      const burst = rules.fraudCookieStuffingClicks > 0 ? burstWindow(click, rules) : undefined;
      if (burst) bursts.push(burst);
    }
    await this.#signals.prefetch(visitors, bursts);
  }

  /** An event already received (before, or earlier in this batch): its content hash and outcome. */
  knownEvent(id: string): { hash: string; result: string } | undefined {
    return this.#events.get(id);
  }

  hasOrder(orderId: string): boolean {
    return this.#orders.has(orderId);
  }

  readonly lookups: PaidLookups;

  private constructor(ctx: Pick<Ctx, 'db' | 'sqlite'>) {
    this.#signals = new SignalReads(ctx);
    this.lookups = {
      takenSubOrder: async (ids) => ids.find((id) => this.#subOrders.has(id)),
      buyerOwner: async (buyerId) => this.#buyers.get(buyerId),
      click: async (clickId) => this.#clicks.get(clickId.toLowerCase()),
      signals: this.#signals,
    };
  }

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
