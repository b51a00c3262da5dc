import type { Ctx } from '../context.js';
import { isUniqueViolation } from '../db/connection.js';
import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import { newId } from '../lib/ids.js';
import { parseInput } from '../lib/parse-input.js';
import { getSettings } from '../settings/get-settings.js';
import { getAffiliate } from './queries.js';
import { trackingIdName } from './schema.js';

export const DEFAULT_TRACKING_ID = 'default';

export type TrackingId = { id: string; name: string; createdAt: string };

/** Adds a named tracking id; an affiliate has `default` plus up to the program's limit. */
export async function createTrackingId(
  ctx: Ctx,
  affiliateId: string,
  name: string,
): Promise<TrackingId> {
  const trackingId = parseInput(trackingIdName, name);
  await getAffiliate(ctx.db, affiliateId);
  const { maxTrackingIds } = await getSettings(ctx.db, ctx.clock.now());
  const named = (await listTrackingIds(ctx.db, affiliateId)).filter(
    (t) => t.name !== DEFAULT_TRACKING_ID,
  );
  if (named.length >= maxTrackingIds) {
    throw new AppError(
      'tracking_id_limit',
      `an affiliate may have at most ${maxTrackingIds} named tracking ids`,
    );
  }
  const row = {
    id: newId('trk', ctx.clock),
    affiliate_id: affiliateId,
    name: trackingId,
    created_at: toDbTime(ctx.clock.now()),
  };
  try {
    await ctx.db.insertInto('tracking_ids').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('tracking_id_exists', `tracking id ${trackingId} already exists`);
    throw error;
  }
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

export async function listTrackingIds(db: Db, affiliateId: string): Promise<TrackingId[]> {
  const rows = await db
    .selectFrom('tracking_ids')
    .select(['id', 'name', 'created_at'])
    .where('affiliate_id', '=', affiliateId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
}
