import { type Ctx, inTransaction } from '../context.js';
import { toDbTime } from '../db/time.js';
import type { FlagResolution } from '../db/types.js';
import { AppError } from '../errors.js';
import { parseInput } from '../lib/parse-input.js';
import { releasedOrderEvents } from '../orders/order-events.js';
import type { SubOrderSummary } from '../orders/plan-order.js';
import { syncOrder } from '../orders/sync-order.js';
import { emitEvents } from '../webhooks/emit-events.js';
import { getFlag } from './list-flags.js';
import { type FlagView, invalidateInput, releaseInput } from './schema.js';

type ResolveCtx = Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>;
export type Resolved = { flag: FlagView; subOrders: SubOrderSummary[] };

/**
 * The operator releases a flag: once no flag of the order is open, its commission is no
 * longer held, and the next job run settles it when due. In one transaction with the
 * order brought up to date; a flag is resolved once (409 the second time).
 */
export async function releaseFlag(
  ctx: ResolveCtx,
  input: { flagId: string; operator: string; note?: string | undefined },
): Promise<Resolved> {
  const { note } = parseInput(releaseInput, {
    ...(input.note !== undefined ? { note: input.note } : {}),
  });
  return resolve(ctx, input.flagId, 'released', input.operator, note || null);
}

/**
 * The operator invalidates an order on a flag: the order's sub-orders the flag covers become
 * Invalid (reason `fraud: <the flag's reason>`) and their estimated commission is voided,
 * through the same life cycle as any Invalid sub-order. The order's other open flags are
 * closed with it. A note is required.
 */
export async function invalidateFlag(
  ctx: ResolveCtx,
  input: { flagId: string; operator: string; note: string | undefined },
): Promise<Resolved> {
  const { note } = parseInput(invalidateInput, { note: input.note ?? '' });
  return resolve(ctx, input.flagId, 'invalidated', input.operator, note);
}

async function resolve(
  ctx: ResolveCtx,
  flagId: string,
  resolution: FlagResolution,
  operator: string,
  note: string | null,
): Promise<Resolved> {
  return inTransaction(ctx, async (tx) => {
    const now = toDbTime(tx.clock.now());
    // The write comes first: it takes SQLite's write lock and PostgreSQL's row lock, so of
    // two operators resolving one flag at once, one resolves it and the other is told.
    const resolved = await tx.db
      .updateTable('order_flags')
      .set({ resolved_at: now, resolution, resolved_by: operator, resolution_note: note })
      .where('id', '=', flagId)
      .where('resolved_at', 'is', null)
      .returning(['order_id', 'sub_order_id'])
      .executeTakeFirst();
    if (!resolved) {
      const flag = await getFlag(tx.db, flagId); // flag_not_found when there is none
      throw new AppError(
        'flag_already_resolved',
        `flag ${flagId} was already ${flag.resolution} on ${flag.resolvedAt} by ${flag.resolvedBy}`,
      );
    }
    if (resolution === 'invalidated')
      // The order is Invalid: its other open flags (on the same sub-orders) go with it.
      await tx.db
        .updateTable('order_flags')
        .set({
          resolved_at: now,
          resolution,
          resolved_by: operator,
          resolution_note: `with flag ${flagId}: ${note ?? ''}`.slice(0, 600),
        })
        .where('order_id', '=', resolved.order_id)
        .where('resolved_at', 'is', null)
        .$if(resolved.sub_order_id !== null, (q) =>
          q.where((eb) =>
            eb.or([
              eb('sub_order_id', 'is', null),
              eb('sub_order_id', '=', resolved.sub_order_id as string),
            ]),
          ),
        )
        .execute();
    const subOrders = await syncOrder(tx, resolved.order_id, { settle: false });
    if (resolution === 'released') await announceRelease(tx, resolved);
    return { flag: await getFlag(tx.db, flagId), subOrders };
  });
}

/**
 * order.released for the sub-orders the released flag held that no other open flag holds:
 * the affiliate hears that the review is over (a sub-order's hold comes from its order's
 * flags and its own).
 */
async function announceRelease(
  tx: ResolveCtx,
  released: { order_id: string; sub_order_id: string | null },
): Promise<void> {
  const open = await tx.db
    .selectFrom('order_flags')
    .select('sub_order_id')
    .where('order_id', '=', released.order_id)
    .where('resolved_at', 'is', null)
    .execute();
  if (open.some((f) => f.sub_order_id === null)) return;
  const stillHeld = new Set(open.map((f) => f.sub_order_id));
  const freed = (subOrderId: string) =>
    !stillHeld.has(subOrderId) &&
    (released.sub_order_id === null || released.sub_order_id === subOrderId);
  await emitEvents(tx, await releasedOrderEvents(tx, released.order_id, freed));
}
