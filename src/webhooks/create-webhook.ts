import { getAffiliate } from '../affiliates/queries.js';
import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import { newId } from '../lib/ids.js';
import { assertBelowLimit } from './queries.js';
import { newWebhookSecret } from './rotate-secret.js';
import { checkEventTypes, checkTargetUrl, type Webhook } from './schema.js';

/**
 * Subscribes a URL to events. The signing secret (`whsec_` and 32 random bytes) is returned
 * this once and kept sealed: affnet needs it again to sign, so it cannot be only a hash.
 */
export async function createWebhook(
  ctx: Pick<Ctx, 'db' | 'clock' | 'secrets'>,
  affiliateId: string,
  input: { url: string; events: readonly string[] },
): Promise<Webhook & { secret: string }> {
  const url = checkTargetUrl(input.url, 'url');
  const events = checkEventTypes('webhook', input.events);
  await getAffiliate(ctx.db, affiliateId);
  await assertBelowLimit(ctx.db, 'webhook', affiliateId);
  const secret = newWebhookSecret();
  const webhook: Webhook = {
    id: newId('whk', ctx.clock),
    url,
    events,
    status: 'active',
    consecutiveFailures: 0,
    createdAt: toDbTime(ctx.clock.now()),
    disabledAt: null,
    disabledReason: null,
  };
  await ctx.db
    .insertInto('webhooks')
    .values({
      id: webhook.id,
      affiliate_id: affiliateId,
      url,
      secret_enc: ctx.secrets.seal(secret),
      events: JSON.stringify(events),
      status: 'active',
      consecutive_failures: 0n,
      created_at: webhook.createdAt,
      disabled_at: null,
      disabled_reason: null,
    })
    .execute();
  return { ...webhook, secret };
}
