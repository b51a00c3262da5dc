import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import { getAffiliate } from './queries.js';

const BUYER_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;

/**
 * Records that a marketplace buyer account belongs to an affiliate (the operator learns it
 * from the marketplace, or the affiliate declares it): that buyer's orders through the
 * affiliate's links are self-purchases and earn nothing.
 */
export async function linkBuyerAccount(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  input: { affiliateId: string; buyerId: string },
): Promise<void> {
  if (!BUYER_ID.test(input.buyerId))
    throw new AppError('invalid_request', 'buyer id: 1–64 letters, digits or . _ : / -');
  await getAffiliate(ctx.db, input.affiliateId);
  const owner = await buyerOwner(ctx.db, input.buyerId);
  if (owner && owner !== input.affiliateId)
    throw new AppError('duplicate_id', `buyer ${input.buyerId} belongs to another affiliate`);
  await ctx.db
    .insertInto('affiliate_buyers')
    .values({
      buyer_id: input.buyerId,
      affiliate_id: input.affiliateId,
      created_at: toDbTime(ctx.clock.now()),
    })
    .onConflict((oc) => oc.column('buyer_id').doNothing())
    .execute();
}

/** The affiliate a buyer account belongs to, if any. */
export async function buyerOwner(db: Db, buyerId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('affiliate_buyers')
    .select('affiliate_id')
    .where('buyer_id', '=', buyerId)
    .executeTakeFirst();
  return row?.affiliate_id;
}
