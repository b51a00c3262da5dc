import { findAffiliate } from '../affiliates/queries.js';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import { selectStorefronts, toStorefront, toStorefronts } from './queries.js';
import { MAX_STOREFRONTS_PER_AFFILIATE, type Storefront } from './schema.js';

/** The store at /s/<slug>, whoever owns it and whatever their status. */
export async function findStorefrontBySlug(db: Db, slug: string): Promise<Storefront | undefined> {
  if (slug.length > 40) return undefined;
  const row = await selectStorefronts(db).where('slug', '=', slug).executeTakeFirst();
  return row ? toStorefront(db, row) : undefined;
}

/**
 * The store at /s/<slug> as the public may see it: only while its affiliate is approved.
 * A pending, suspended or banned affiliate's store answers as if it did not exist.
 */
export async function findLiveStorefront(db: Db, slug: string): Promise<Storefront | undefined> {
  const store = await findStorefrontBySlug(db, slug);
  if (!store) return undefined;
  const owner = await findAffiliate(db, store.affiliateId);
  return owner?.status === 'approved' ? store : undefined;
}

/** One of the affiliate's own stores by id; anyone else's is `storefront_not_found`. */
export async function getOwnStorefront(
  db: Db,
  affiliateId: string,
  storefrontId: string,
): Promise<Storefront> {
  const row = await selectStorefronts(db)
    .where('id', '=', storefrontId)
    .where('affiliate_id', '=', affiliateId)
    .executeTakeFirst();
  if (!row) throw new AppError('storefront_not_found', `you have no store ${storefrontId}`);
  return toStorefront(db, row);
}

/** The affiliate's stores, oldest first (at most the per-affiliate limit exist). */
export async function listStorefronts(db: Db, affiliateId: string): Promise<Storefront[]> {
  const rows = await selectStorefronts(db)
    .where('affiliate_id', '=', affiliateId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(MAX_STOREFRONTS_PER_AFFILIATE)
    .execute();
  return toStorefronts(db, rows);
}
