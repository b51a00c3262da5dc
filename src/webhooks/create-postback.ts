import { getAffiliate } from '../affiliates/queries.js';
import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import { AppError } from '../errors.js';
import { newId } from '../lib/ids.js';
import { assertBelowLimit } from './queries.js';
import { checkEventTypes, checkTargetUrl, type Postback } from './schema.js';

/**
 * Subscribes a URL template to order events, for one tracking id (by name) or all of
 * them: each event GETs the template with `{click_id}`, `{sub1}`…`{sub5}`, `{order_id}`,
 * `{commission}`, `{currency}` and `{status}` filled in.
 */
export async function createPostback(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  affiliateId: string,
  input: { urlTemplate: string; events: readonly string[]; trackingId?: string | undefined },
): Promise<Postback> {
  const urlTemplate = checkTargetUrl(input.urlTemplate, 'url_template');
  const events = checkEventTypes('postback', input.events);
  await getAffiliate(ctx.db, affiliateId);
  let trackingRowId: string | null = null;
  if (input.trackingId !== undefined) {
    const row = await ctx.db
      .selectFrom('tracking_ids')
      .select('id')
      .where('affiliate_id', '=', affiliateId)
      .where('name', '=', input.trackingId)
      .executeTakeFirst();
    if (!row)
      throw new AppError('tracking_id_not_found', `you have no tracking id ${input.trackingId}`);
    trackingRowId = row.id;
  }
  await assertBelowLimit(ctx.db, 'postback', affiliateId);
  const postback: Postback = {
    id: newId('pbk', ctx.clock),
    urlTemplate,
    trackingId: input.trackingId ?? null,
    events,
    status: 'active',
    consecutiveFailures: 0,
    createdAt: toDbTime(ctx.clock.now()),
    disabledAt: null,
    disabledReason: null,
  };
  await ctx.db
    .insertInto('postbacks')
    .values({
      id: postback.id,
      affiliate_id: affiliateId,
      tracking_id: trackingRowId,
      url_template: urlTemplate,
      events: JSON.stringify(events),
      status: 'active',
      consecutive_failures: 0n,
      created_at: postback.createdAt,
      disabled_at: null,
      disabled_reason: null,
    })
    .execute();
  return postback;
}
