import { getAffiliate } from '../affiliates/queries.js';
import { type Ctx, inTransaction } from '../context.js';
import { isUniqueViolation } from '../db/connection.js';
import { toDbTime } from '../db/time.js';
import { AppError } from '../errors.js';
import { newId } from '../lib/ids.js';
import { checkStorefront } from './check-storefront.js';
import { getOwnStorefront } from './find-storefront.js';
import { MAX_STOREFRONTS_PER_AFFILIATE, type Storefront, type StorefrontInput } from './schema.js';

/**
 * Builds a store for the affiliate at /s/<slug>: the input is checked in full (slug,
 * tracking id, every category and product) before anything is written.
 */
export async function createStorefront(
  ctx: Ctx,
  affiliateId: string,
  input: StorefrontInput,
): Promise<Storefront> {
  const id = await inTransaction(ctx, async (tx) => {
    await getAffiliate(tx.db, affiliateId);
    const { n } = await tx.db
      .selectFrom('storefronts')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('affiliate_id', '=', affiliateId)
      .executeTakeFirstOrThrow();
    if (Number(n) >= MAX_STOREFRONTS_PER_AFFILIATE)
      throw new AppError(
        'storefront_limit',
        `an affiliate may have at most ${MAX_STOREFRONTS_PER_AFFILIATE} stores: edit one instead`,
      );
    const values = await checkStorefront(tx, affiliateId, input);
    const now = toDbTime(tx.clock.now());
    const row = {
      id: newId('sf', tx.clock),
      affiliate_id: affiliateId,
      ...values,
      created_at: now,
      updated_at: now,
    };
    try {
      await tx.db.insertInto('storefronts').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw slugTaken(values.slug);
      throw error;
    }
    return row.id;
  });
  return getOwnStorefront(ctx.db, affiliateId, id);
}

export function slugTaken(slug: string): AppError {
  return new AppError('duplicate_id', `the slug ${slug} is taken: choose another`);
}
