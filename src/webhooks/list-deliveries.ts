import type { Ctx } from '../context.js';
import { assertOwnTarget } from './queries.js';
import {
  type Delivery,
  type DeliveryAttempt,
  MAX_DELIVERY_PAGE,
  type TargetKind,
} from './schema.js';

const num = (v: bigint | null) => (v === null ? null : Number(v));

/**
 * The deliveries of one of the affiliate's webhooks or postbacks, newest first, a page
 * before `beforeId`, each with every attempt made (status code, error, time). Another
 * affiliate's target is not found.
 */
export async function listDeliveries(
  ctx: Pick<Ctx, 'db'>,
  affiliateId: string,
  kind: TargetKind,
  targetId: string,
  page: { beforeId?: string | undefined; limit: number },
): Promise<Delivery[]> {
  await assertOwnTarget(ctx.db, kind, targetId, affiliateId);
  const rows = await ctx.db
    .selectFrom('deliveries')
    .selectAll()
    .where('target_id', '=', targetId)
    .where('target_kind', '=', kind)
    .$if(page.beforeId !== undefined, (q) => q.where('id', '<', page.beforeId as string))
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(page.limit, 1), MAX_DELIVERY_PAGE))
    .execute();
  const attempts = new Map<string, DeliveryAttempt[]>();
  if (rows.length > 0)
    for (const a of await ctx.db
      .selectFrom('delivery_attempts')
      .selectAll()
      .where(
        'delivery_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('delivery_id')
      .orderBy('attempt')
      .execute()) {
      const list = attempts.get(a.delivery_id) ?? [];
      list.push({
        attempt: Number(a.attempt),
        at: a.at,
        statusCode: num(a.status_code),
        error: a.error,
        durationMs: Number(a.duration_ms),
      });
      attempts.set(a.delivery_id, list);
    }
  return rows.map((r) => ({
    id: r.id,
    eventId: r.event_key,
    eventType: r.event_type,
    status: r.status,
    attempts: Number(r.attempts),
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
    lastStatusCode: num(r.last_status_code),
    lastError: r.last_error,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    attemptLog: attempts.get(r.id) ?? [],
  }));
}
