import { type Ctx, inTransaction } from '../context.js';
import { isUniqueViolation } from '../db/connection.js';
import { toDbTime } from '../db/time.js';
import { checkStorefront } from './check-storefront.js';
import { slugTaken } from './create-storefront.js';
import { getOwnStorefront } from './find-storefront.js';
import type { Storefront, StorefrontInput } from './schema.js';

/**
 * Changes one of the affiliate's stores as a whole (the same checks as building it); a new
 * slug moves the store, and the old address answers 404 from then on.
 */
export async function updateStorefront(
  ctx: Ctx,
  affiliateId: string,
  storefrontId: string,
  input: StorefrontInput,
): Promise<Storefront> {
  await inTransaction(ctx, async (tx) => {
    await getOwnStorefront(tx.db, affiliateId, storefrontId);
    const values = await checkStorefront(tx, affiliateId, input);
    try {
      await tx.db
        .updateTable('storefronts')
        .set({ ...values, updated_at: toDbTime(tx.clock.now()) })
        .where('id', '=', storefrontId)
        .where('affiliate_id', '=', affiliateId)
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw slugTaken(values.slug);
      throw error;
    }
  });
  return getOwnStorefront(ctx.db, affiliateId, storefrontId);
}
