import { randomBytes } from 'node:crypto';
import { type Ctx, inTransaction } from '../context.js';
import { toDbTime } from '../db/time.js';
import { AppError } from '../errors.js';
import { assertOwnTarget } from './queries.js';

/** How long the replaced secret keeps signing beside the new one. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/** A new signing secret for a webhook. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/**
 * Rotates a webhook's signing secret: the new one is returned this once; the one it
 * replaces goes on signing beside it (a second `v1` in Affnet-Signature) for 24 hours, so
 * the receiver can deploy the new secret without losing a delivery. Rotating again within
 * those hours replaces the older of the two. A deleted webhook is not rotated.
 */
export async function rotateWebhookSecret(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock' | 'secrets'>,
  affiliateId: string,
  webhookId: string,
): Promise<{ secret: string; previousUntil: string }> {
  return inTransaction(ctx, async (tx) => {
    await assertOwnTarget(tx.db, 'webhook', webhookId, affiliateId);
    const row = await tx.db
      .selectFrom('webhooks')
      .select(['secret_enc', 'disabled_reason'])
      .where('id', '=', webhookId)
      .executeTakeFirstOrThrow();
    // A webhook stopped by failures may be failing on its secret: it can be rotated.
    if (row.disabled_reason === 'deleted')
      throw new AppError('webhook_not_found', `webhook ${webhookId} was deleted`);
    const secret = newWebhookSecret();
    const previousUntil = toDbTime(new Date(ctx.clock.now().getTime() + ROTATION_OVERLAP_MS));
    await tx.db
      .updateTable('webhooks')
      .set({
        secret_enc: tx.secrets.seal(secret),
        previous_secret_enc: row.secret_enc,
        previous_until: previousUntil,
      })
      .where('id', '=', webhookId)
      .execute();
    return { secret, previousUntil };
  });
}
