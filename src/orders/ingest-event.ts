import { type Ctx, inSavepoint, inTransaction } from '../context.js';
import { takeWriteLock } from '../db/write-lock.js';
import { AppError, isAppError } from '../errors.js';
import { applyEvent, lockOrder } from './apply-event.js';
import { checkEnvelope, type EventOutcome, eventRow, rejected } from './event-envelope.js';
import { EventWave } from './event-wave.js';
import { createIngestCaches, type IngestCaches } from './ingest-caches.js';
import { PaidBatch } from './paid-batch.js';
import { preparePaidOrder } from './record-order-paid.js';
import type { MerchantEvent, OrderPaid } from './schema.js';

type IngestCtx = Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>;

/**
 * A batch of merchant events, in order, each all-or-nothing, in one transaction: its
 * order.paid events written together (PaidBatch), the others a wave at a time (EventWave:
 * at most one event per order in a wave, checked and synced together), an event the
 * batch paths cannot take in a savepoint of its own. On PostgreSQL, when another server's
 * writes collide with the batch (the same event or order, or a deadlock on order locks),
 * the batch is rolled back and its events are taken one by one instead.
 * Settings, rates and exchange rates are read once for the batch.
 */
export async function ingestEvents(
  ctx: IngestCtx,
  raws: readonly unknown[],
): Promise<EventOutcome[]> {
  const batched = () =>
    inTransaction(ctx, async (tx) => {
      // SQLite: the write lock first, so the click writer's commits cannot leave this
      // transaction's reads stale by the time it writes (SQLITE_BUSY_SNAPSHOT).
      await takeWriteLock(tx);
      const caches = await createIngestCaches(tx);
      // order.paid events are taken in memory and written together (PaidBatch).
      const batch = await PaidBatch.open(tx, raws, caches.settings);
      await caches.rates.prefetch(batch.productIds);
      const wave = new EventWave();
      const outcomes: EventOutcome[] = [];
      const flushWave = async () => {
        for (const { event, outcome } of await wave.flush(tx, caches, batch)) {
          const taken = outcome ?? (await ingestEvent(tx, event.raw, caches, batch));
          if (taken.status === 'accepted')
            batch.noteEvent(event.id, event.row.content_hash, JSON.stringify(taken));
          outcomes[event.index] = taken;
        }
      };
      for (const [index, raw] of raws.entries()) {
        const checked = checkEnvelope(raw);
        if ('status' in checked) {
          outcomes[index] = checked;
          continue;
        }
        const { event, data, hash } = checked;
        // An event of an order (or an id) the wave holds waits for the wave's outcome.
        if (wave.holds(data.order_id, event.id) || wave.full) await flushWave();
        if (event.type === 'order.paid' || batch.knownEvent(event.id)) {
          const taken = await ingestEvent(tx, raw, caches, batch);
          outcomes[index] = taken;
          continue;
        }
        wave.add({
          index,
          raw,
          id: event.id,
          type: event.type,
          data,
          row: eventRow(event, data, hash, '', tx.clock.now()),
        });
      }
      await flushWave();
      await batch.flush(tx);
      return outcomes;
    });
  if (ctx.dialect === 'sqlite') return batched();
  try {
    return await batched();
  } catch (error) {
    // Another server wrote one of these events or orders meanwhile, or locked an order in
    // the other order: nothing of the batch was kept; take the events one by one instead,
    // each in its own transaction, where a twin waits and replays.
    if (!isConcurrencyConflict(error)) throw error;
    const caches = await createIngestCaches(ctx);
    const outcomes: EventOutcome[] = [];
    for (const raw of raws) outcomes.push(await ingestEvent(ctx, raw, caches));
    return outcomes;
  }
}

/** PostgreSQL's unique violation, deadlock and serialization failure. */
function isConcurrencyConflict(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === '23505' || code === '40P01' || code === '40001';
}

/**
 * Takes one merchant event: checks it, records its facts, and brings the order up to date.
 * The event id is the idempotency key: a replay returns the first outcome, the same id
 * with other content is refused (409). A refused event writes nothing.
 */
export async function ingestEvent(
  ctx: IngestCtx,
  raw: unknown,
  caches?: IngestCaches,
  batch?: PaidBatch,
): Promise<EventOutcome> {
  const checked = checkEnvelope(raw);
  if ('status' in checked) return checked;
  const { event, data, hash } = checked;
  if (batch) {
    const known = batch.knownEvent(event.id);
    if (known) {
      if (known.hash !== hash)
        return rejected(
          event.id,
          'idempotency_conflict',
          `event ${event.id} was received before with different content`,
        );
      return {
        ...(JSON.parse(known.result) as EventOutcome & { status: 'accepted' }),
        replayed: true,
      };
    }
    if (event.type === 'order.paid') {
      const taken = await takePaidInBatch(
        ctx,
        event,
        data as unknown as OrderPaid,
        hash,
        caches as IngestCaches,
        batch,
      );
      if (taken) return taken;
    }
    // Any other event reads the database: what the batch holds is written first.
    await batch.flush(ctx);
  }
  try {
    // Its own transaction, or a savepoint in the batch's: a refused event rolls back alone.
    const outcome = await inSavepoint(ctx, async (tx) => {
      // SQLite: the write lock before the first read, so that another connection's commit
      // cannot leave the read stale by the first write (SQLITE_BUSY, which no busy timeout
      // cures). PostgreSQL: the order locked, then the event row claimed; a concurrent twin
      // waits on one of them and then replays. A batch (EventWave) locks in the same order.
      await takeWriteLock(tx);
      const order = await lockOrder(tx, data.order_id);
      const claimed = await tx.db
        .insertInto('merchant_events')
        .values(eventRow(event, data, hash, '', ctx.clock.now()))
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!claimed) return replay(tx.db, event.id, hash);
      const subOrders = await applyEvent(
        tx,
        event.type,
        data,
        caches ?? (await createIngestCaches(tx)),
        order,
      );
      const outcome = {
        id: event.id,
        status: 'accepted' as const,
        replayed: false,
        orderId: data.order_id,
        subOrders: subOrders.map((s) => ({ sub_order_id: s.subOrderId, status: s.status })),
      };
      await tx.db
        .updateTable('merchant_events')
        .set({ result: JSON.stringify(outcome) })
        .where('id', '=', event.id)
        .execute();
      return outcome;
    });
    if (batch && outcome.status === 'accepted')
      batch.noteEvent(event.id, hash, JSON.stringify({ ...outcome, replayed: false }));
    return outcome;
  } catch (error) {
    if (isAppError(error)) return rejected(event.id, error.code, error.message);
    throw error;
  }
}

/**
 * An order.paid inside a batch: checked and worked out in memory, written at the
 * batch's next flush. Undefined when it needs the ordinary path (a payment reported so late
 * that it is already past the expiry).
 */
async function takePaidInBatch(
  ctx: IngestCtx,
  event: MerchantEvent,
  paid: OrderPaid,
  hash: string,
  caches: IngestCaches,
  batch: PaidBatch,
): Promise<EventOutcome | undefined> {
  try {
    if (batch.hasOrder(paid.order_id))
      throw new AppError(
        'order_already_paid',
        `order ${paid.order_id} was reported paid by another event`,
      );
    const prepared = await preparePaidOrder(ctx, paid, caches, batch.lookups);
    if (prepared.needsSync) return undefined;
    const outcome: EventOutcome = {
      id: event.id,
      status: 'accepted',
      replayed: false,
      orderId: paid.order_id,
      subOrders: prepared.subOrders.map((s) => ({ sub_order_id: s.subOrderId, status: s.status })),
    };
    batch.add(
      eventRow(event, paid, hash, JSON.stringify(outcome), ctx.clock.now()),
      prepared.writes,
    );
    return outcome;
  } catch (error) {
    if (isAppError(error)) return rejected(event.id, error.code, error.message);
    throw error;
  }
}

async function replay(db: Ctx['db'], id: string, hash: string): Promise<EventOutcome> {
  const stored = await db
    .selectFrom('merchant_events')
    .select(['content_hash', 'result'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  if (stored.content_hash !== hash)
    throw new AppError(
      'idempotency_conflict',
      `event ${id} was received before with different content`,
    );
  return {
    ...(JSON.parse(stored.result) as EventOutcome & { status: 'accepted' }),
    replayed: true,
  };
}

export type { EventOutcome, MerchantEvent };
