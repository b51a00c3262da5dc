import type { Insertable } from 'kysely';
import { type Ctx, inSavepoint } from '../context.js';
import { type BulkSpec, bulkUpsert, rowsOf } from '../db/bulk-upsert.js';
import { selectWhereIn } from '../db/select-where-in.js';
import type { MerchantEventsTable } from '../db/types.js';
import { isAppError } from '../errors.js';
import { groupBy } from '../lib/group-by.js';
import { checkOrderEvent, REFUND_EVENT_TYPES, refundedIn } from './apply-event.js';
import type { EventOutcome } from './event-envelope.js';
import type { IngestCaches } from './ingest-caches.js';
import { eventsSpec, type PaidBatch } from './paid-batch.js';
import type { SubOrderSummary } from './plan-order.js';
import type { EventType } from './schema.js';
import { syncOrders } from './sync-order.js';

type WaveCtx = Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>;

/** A checked event of a batch other than order.paid, waiting for its wave to be written. */
export type WaveEvent = {
  index: number;
  raw: unknown;
  id: string;
  type: EventType;
  data: Record<string, unknown> & { order_id: string };
  /** Its stored row, `result` still empty. */
  row: Insertable<MerchantEventsTable>;
};

/** A wave event's outcome; undefined: to be taken alone, the ordinary way. */
export type WaveOutcome = { event: WaveEvent; outcome: EventOutcome | undefined };

const MAX_WAVE = 500;
// The accepted refund events, as refundedSoFar (apply-event.ts) reads them for one event.
const REFUNDS_ACCEPTED = `type in (${REFUND_EVENT_TYPES.map((t) => `'${t}'`).join(', ')}) and result <> ''`;
// The event rows are written with their outcomes once their orders are synced: an insert
// first (paid-batch's plain one: an id written meanwhile by another server fails the
// batch, which is then taken event by event), then the same rows again with the outcome.
const resultSpec: BulkSpec = {
  ...eventsSpec,
  conflict: ['id'],
  update: ['result'],
};

/**
 * The events of a batch other than order.paid, taken a wave at a time: a wave holds at
 * most one event per order, so each event is checked against its order as the events
 * before it left it, and its outcome is its order's state after it alone — what taking the
 * events one by one gives. A wave costs a few statements whatever its size: its orders
 * locked and read with their sub-orders and refunds, its accepted events written, their
 * orders synced together (syncOrders), their outcomes stored. One by one, each event cost a
 * savepoint and about fifteen statements.
 */
export class EventWave {
  #events: WaveEvent[] = [];
  readonly #orders = new Set<string>();
  readonly #ids = new Set<string>();

  /** True when `orderId` or event `id` is in the wave: the wave must be written first. */
  holds(orderId: string | undefined, id: string): boolean {
    return this.#ids.has(id) || (orderId !== undefined && this.#orders.has(orderId));
  }

  get full(): boolean {
    return this.#events.length >= MAX_WAVE;
  }

  add(event: WaveEvent): void {
    this.#events.push(event);
    this.#orders.add(event.data.order_id);
    this.#ids.add(event.id);
  }

  /**
   * Writes the wave after what the paid batch holds (an order.paid comes before the wave's
   * events of its order). Each event's outcome, in the wave's order; undefined when the
   * wave's writes were refused and the event is to be taken alone.
   */
  async flush(tx: WaveCtx, caches: IngestCaches, batch: PaidBatch): Promise<WaveOutcome[]> {
    const events = this.#events;
    this.#events = [];
    this.#orders.clear();
    this.#ids.clear();
    await batch.flush(tx);
    if (events.length === 0) return [];
    const orderIds = events.map((e) => e.data.order_id);
    // The orders locked first (PostgreSQL, in order_id order), as one event does alone.
    const orders = new Map(
      (
        await selectWhereIn<{ order_id: string; paid_at: string }>(tx, {
          from: 'orders',
          columns: ['order_id', 'paid_at'],
          column: 'order_id',
          values: orderIds,
          forUpdate: true,
        })
      ).map((o) => [o.order_id, o]),
    );
    const paidIds = orderIds.filter((id) => orders.has(id));
    const subsOf = groupBy(
      await selectWhereIn<{ order_id: string; sub_order_id: string; paid_minor: bigint }>(tx, {
        from: 'sub_orders',
        columns: ['order_id', 'sub_order_id', 'paid_minor'],
        column: 'order_id',
        values: paidIds,
      }),
      (s) => s.order_id,
    );
    const refunding = events
      .filter((e) => REFUND_EVENT_TYPES.includes(e.type))
      .map((e) => e.data.order_id)
      .filter((id) => orders.has(id));
    const refundsOf = groupBy(
      await selectWhereIn<{ order_id: string; type: string; data: string }>(tx, {
        from: 'merchant_events',
        columns: ['order_id', 'type', 'data'],
        column: 'order_id',
        values: refunding,
        and: REFUNDS_ACCEPTED,
      }),
      (r) => r.order_id,
    );
    const results = new Map<WaveEvent, EventOutcome | undefined>();
    const accepted: WaveEvent[] = [];
    for (const event of events) {
      const orderId = event.data.order_id;
      try {
        await checkOrderEvent(
          event.type,
          event.data,
          caches,
          orders.get(orderId),
          subsOf.get(orderId) ?? [],
          async (subOrderId) => refundedIn(refundsOf.get(orderId) ?? [], subOrderId),
        );
        accepted.push(event);
      } catch (error) {
        if (!isAppError(error)) throw error;
        results.set(event, {
          id: event.id,
          status: 'rejected',
          error: { code: error.code, message: error.message },
        });
      }
    }
    if (accepted.length > 0) {
      try {
        await inSavepoint(tx, async (sp) => {
          await bulkUpsert(
            sp,
            eventsSpec,
            rowsOf(
              eventsSpec,
              accepted.map((e) => e.row),
            ),
          );
          const synced = await syncOrders(
            sp,
            accepted.map((e) => e.data.order_id),
            { settle: false, settings: caches.settings },
          );
          for (const event of accepted)
            results.set(event, outcomeOf(event, synced.get(event.data.order_id) ?? []));
          const rows = accepted.map((e) => ({ ...e.row, result: JSON.stringify(results.get(e)) }));
          await bulkUpsert(sp, resultSpec, rowsOf(resultSpec, rows));
        });
      } catch (error) {
        // A ledger refusal in one order's sync (none is expected): nothing of the wave's
        // writes was kept; its accepted events are taken alone, each kept or refused alone.
        if (!isAppError(error)) throw error;
        for (const event of accepted) results.set(event, undefined);
      }
    }
    return events.map((event) => ({ event, outcome: results.get(event) }));
  }
}

/** The stored outcome of an accepted event, as the one-by-one path stores it. */
function outcomeOf(
  event: WaveEvent,
  subOrders: readonly SubOrderSummary[],
): EventOutcome & { status: 'accepted' } {
  return {
    id: event.id,
    status: 'accepted' as const,
    replayed: false,
    orderId: event.data.order_id,
    subOrders: subOrders.map((s) => ({ sub_order_id: s.subOrderId, status: s.status })),
  };
}
