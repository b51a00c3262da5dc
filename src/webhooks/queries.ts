import type { Selectable } from 'kysely';
import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import type { Db, PostbacksTable, WebhooksTable } from '../db/types.js';
import { AppError } from '../errors.js';
import {
  type EventType,
  MAX_ACTIVE_TARGETS,
  type Postback,
  type TargetKind,
  type Webhook,
} from './schema.js';

export const TARGET_TABLE = { webhook: 'webhooks', postback: 'postbacks' } as const;

export function toWebhook(row: Selectable<WebhooksTable>): Webhook {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as EventType[],
    status: row.status,
    consecutiveFailures: Number(row.consecutive_failures),
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
    disabledReason: row.disabled_reason,
  };
}

export function toPostback(row: Selectable<PostbacksTable>, trackingName: string | null): Postback {
  return {
    id: row.id,
    urlTemplate: row.url_template,
    trackingId: trackingName,
    events: JSON.parse(row.events) as EventType[],
    status: row.status,
    consecutiveFailures: Number(row.consecutive_failures),
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
    disabledReason: row.disabled_reason,
  };
}

/** Throws the kind's not-found error unless the target exists and is the affiliate's. */
export async function assertOwnTarget(
  db: Db,
  kind: TargetKind,
  id: string,
  affiliateId: string,
): Promise<void> {
  const row = await db
    .selectFrom(TARGET_TABLE[kind])
    .select('id')
    .where('id', '=', id)
    .where('affiliate_id', '=', affiliateId)
    .executeTakeFirst();
  if (!row) throw new AppError(`${kind}_not_found`, `no ${kind} ${id}`);
}

/** Refuses a new target past the affiliate's limit of active ones of that kind. */
export async function assertBelowLimit(
  db: Db,
  kind: TargetKind,
  affiliateId: string,
): Promise<void> {
  if ((await countActive(db, kind, affiliateId)) >= MAX_ACTIVE_TARGETS)
    throw new AppError(
      'webhook_limit',
      `an affiliate may have at most ${MAX_ACTIVE_TARGETS} active ${kind}s; delete one first`,
    );
}

/** How many active targets of a kind the affiliate has. */
async function countActive(db: Db, kind: TargetKind, affiliateId: string): Promise<number> {
  const row = await db
    .selectFrom(TARGET_TABLE[kind])
    .select((eb) => eb.fn.countAll<bigint | number | string>().as('n'))
    .where('affiliate_id', '=', affiliateId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Stops a target: no new deliveries are made for it and its pending ones are failed with
 * the reason. Returns whether it was active (a second call changes nothing but a delete's
 * reason).
 */
export async function disableTarget(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  kind: TargetKind,
  id: string,
  reason: string,
): Promise<boolean> {
  const now = toDbTime(ctx.clock.now());
  const table = TARGET_TABLE[kind];
  const stopped = await ctx.db
    .updateTable(table)
    .set({ status: 'disabled', disabled_at: now, disabled_reason: reason })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  const wasActive = stopped.numUpdatedRows > 0n;
  if (!wasActive && reason === 'deleted')
    await ctx.db.updateTable(table).set({ disabled_reason: reason }).where('id', '=', id).execute();
  await ctx.db
    .updateTable('deliveries')
    .set({ status: 'failed', next_attempt_at: null, last_error: `${kind} disabled: ${reason}` })
    .where('target_id', '=', id)
    .where('status', '=', 'pending')
    .execute();
  return wasActive;
}
