import type { Updateable } from 'kysely';
import { DAY_MS } from '../clock.js';
import { type Ctx, inTransaction } from '../context.js';
import { toDbTime } from '../db/time.js';
import type { DeliveriesTable, TargetKind } from '../db/types.js';
import { disableTarget, TARGET_TABLE } from './queries.js';
import type { AttemptOutcome } from './send-delivery.js';

/** A delivery is given up (failed) after this many attempts, about ten days of retries. */
export const MAX_ATTEMPTS = 20;
/** A webhook or postback is disabled after this many failed attempts in a row. */
export const DISABLE_AFTER_FAILURES = 20;
const FIRST_RETRY_MS = 60_000;

/** The wait after the n-th failed attempt: 1 min, 2, 4, … doubling, at most a day. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(attempts - 1, 0), DAY_MS);
}

export type ClaimedDelivery = {
  id: string;
  target_kind: TargetKind;
  target_id: string;
  attempts: bigint;
};

/**
 * Records one attempt: the attempt row, the delivery's state (delivered; or the next try
 * after the backoff; or failed after MAX_ATTEMPTS) and the target's run of failures, which
 * disables it at DISABLE_AFTER_FAILURES. A delivery whose attempts moved meanwhile (its
 * lease ran out and another server took it) records nothing: 'lost'.
 */
export async function recordAttempt(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  delivery: ClaimedDelivery,
  outcome: AttemptOutcome,
): Promise<'delivered' | 'failed' | 'disabled' | 'lost'> {
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const at = toDbTime(now);
    const attempt = Number(delivery.attempts) + 1;
    const common = {
      attempts: BigInt(attempt),
      last_status_code: outcome.statusCode === null ? null : BigInt(outcome.statusCode),
      last_error: outcome.error,
    };
    const next = outcome.ok
      ? { status: 'delivered' as const, next_attempt_at: null, delivered_at: at }
      : attempt >= MAX_ATTEMPTS
        ? { status: 'failed' as const, next_attempt_at: null }
        : {
            status: 'pending' as const,
            next_attempt_at: toDbTime(new Date(now.getTime() + retryDelayMs(attempt))),
          };
    const update = (values: Updateable<DeliveriesTable>, pendingOnly: boolean) =>
      tx.db
        .updateTable('deliveries')
        .set(values)
        .where('id', '=', delivery.id)
        .where('attempts', '=', delivery.attempts)
        .$if(pendingOnly, (q) => q.where('status', '=', 'pending'))
        .executeTakeFirst();
    let moved = await update({ ...common, ...next }, true);
    // Failed meanwhile (its target was disabled by another attempt): the attempt still counts.
    if (moved.numUpdatedRows === 0n)
      moved = await update(
        outcome.ok ? { ...common, status: 'delivered', delivered_at: at } : common,
        false,
      );
    if (moved.numUpdatedRows === 0n) return 'lost';
    await tx.db
      .insertInto('delivery_attempts')
      .values({
        delivery_id: delivery.id,
        attempt: BigInt(attempt),
        at,
        status_code: common.last_status_code,
        error: outcome.error,
        duration_ms: BigInt(outcome.durationMs),
      })
      .execute();
    const table = TARGET_TABLE[delivery.target_kind];
    if (outcome.ok) {
      await tx.db
        .updateTable(table)
        .set({ consecutive_failures: 0n })
        .where('id', '=', delivery.target_id)
        .where('consecutive_failures', '>', 0n)
        .execute();
      return 'delivered';
    }
    const target = await tx.db
      .updateTable(table)
      .set((eb) => ({ consecutive_failures: eb('consecutive_failures', '+', 1n) }))
      .where('id', '=', delivery.target_id)
      .returning(['consecutive_failures', 'status'])
      .executeTakeFirst();
    if (
      target?.status === 'active' &&
      Number(target.consecutive_failures) >= DISABLE_AFTER_FAILURES &&
      (await disableTarget(
        tx,
        delivery.target_kind,
        delivery.target_id,
        `${DISABLE_AFTER_FAILURES} failed attempts in a row (last: ${outcome.error})`,
      ))
    )
      return 'disabled';
    return 'failed';
  });
}
