import { listTrackingIds } from '../affiliates/tracking-ids.js';
import type { Db, StorefrontsTable } from '../db/types.js';
import { STORE_THEMES, type Storefront, type StoreTheme } from './schema.js';

export function selectStorefronts(db: Db) {
  return db.selectFrom('storefronts').selectAll();
}

/**
 * Stores from their rows, each with its tracking id's name (asked of the affiliates'
 * domain once per affiliate: the rows of a call are nearly always one affiliate's).
 */
export async function toStorefronts(
  db: Db,
  rows: readonly StorefrontsTable[],
): Promise<Storefront[]> {
  const names = new Map<string, string>();
  for (const affiliateId of new Set(rows.map((r) => r.affiliate_id)))
    for (const t of await listTrackingIds(db, affiliateId)) names.set(t.id, t.name);
  return rows.map((row) => ({
    id: row.id,
    affiliateId: row.affiliate_id,
    slug: row.slug,
    name: row.name,
    theme: (STORE_THEMES as readonly string[]).includes(row.theme)
      ? (row.theme as StoreTheme)
      : 'classic',
    trackingId: names.get(row.tracking_id) ?? '',
    trackingRowId: row.tracking_id,
    seoTitle: row.seo_title,
    seoDescription: row.seo_description,
    categoryIds: JSON.parse(row.category_ids_json) as string[],
    keywords: JSON.parse(row.keywords_json) as string[],
    productIds: JSON.parse(row.product_ids_json) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

export async function toStorefront(db: Db, row: StorefrontsTable): Promise<Storefront> {
  return (await toStorefronts(db, [row]))[0] as Storefront;
}
