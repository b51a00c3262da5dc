import { createHash } from 'node:crypto';
import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';

/**
 * Whether an invitation link still works (known, unused, not expired), and whose it is:
 * the set-password page asks before showing its form. Accepting checks again (acceptSellerInvite).
 */
export async function findSellerInvite(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  token: string,
): Promise<{ sellerId: string; sellerName: string; email: string } | undefined> {
  if (token.length > 100 || !token.startsWith('inv_')) return undefined;
  const row = await ctx.db
    .selectFrom('seller_invites as i')
    .innerJoin('sellers as s', 's.id', 'i.seller_id')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['i.seller_id', 's.name', 'u.email', 'i.expires_at', 'i.used_at'])
    .where('i.token_hash', '=', createHash('sha256').update(token).digest('hex'))
    .executeTakeFirst();
  if (!row || row.used_at !== null || row.expires_at <= toDbTime(ctx.clock.now())) return undefined;
  return { sellerId: row.seller_id, sellerName: row.name, email: row.email };
}
