import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import { AppError } from '../errors.js';
import { getAffiliate } from './queries.js';
import type { AffiliateStatus } from './schema.js';

/** Which statuses each status may move to; banned is final. */
export const statusTransitions: Readonly<Record<AffiliateStatus, readonly AffiliateStatus[]>> = {
  pending: ['approved', 'banned'],
  approved: ['suspended', 'banned'],
  suspended: ['approved', 'banned'],
  banned: [],
};

/** Approves, suspends, reinstates or bans an affiliate, with a reason the affiliate can read. */
export async function setAffiliateStatus(
  ctx: Ctx,
  affiliateId: string,
  status: AffiliateStatus,
  reason?: string,
): Promise<{ id: string; status: AffiliateStatus }> {
  const affiliate = await getAffiliate(ctx.db, affiliateId);
  if (!statusTransitions[affiliate.status].includes(status)) {
    throw new AppError(
      'invalid_status_transition',
      `an affiliate who is ${affiliate.status} cannot become ${status}`,
    );
  }
  // The status check is repeated in the write, so two operators cannot both move the same affiliate.
  const result = await ctx.db
    .updateTable('affiliates')
    .set({
      status,
      status_reason: reason?.slice(0, 500) ?? null,
      status_changed_at: toDbTime(ctx.clock.now()),
    })
    .where('id', '=', affiliateId)
    .where('status', '=', affiliate.status)
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n) {
    throw new AppError(
      'invalid_status_transition',
      `affiliate ${affiliateId} changed status meanwhile; try again`,
    );
  }
  return { id: affiliateId, status };
}
