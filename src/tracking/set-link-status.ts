import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import { AppError } from '../errors.js';

/**
 * Disables (or re-enables) a link: a disabled code answers 404. Servers see the change
 * through the link cache's poll of `updated_at` within a second.
 */
export async function setLinkStatus(
  ctx: Ctx,
  code: string,
  status: 'active' | 'disabled',
  affiliateId?: string,
): Promise<{ code: string; status: 'active' | 'disabled' }> {
  let update = ctx.db
    .updateTable('links')
    .set({ status, updated_at: toDbTime(ctx.clock.now()) })
    .where('code', '=', code);
  if (affiliateId) update = update.where('affiliate_id', '=', affiliateId);
  const result = await update.executeTakeFirst();
  if (result.numUpdatedRows !== 1n) throw new AppError('link_not_found', `no link ${code}`);
  return { code, status };
}
