import { listTrackingIds } from '../affiliates/tracking-ids.js';
import { categoryLineages } from '../catalog/list-categories.js';
import { productSummaries } from '../catalog/products-by-ids.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { parseInput } from '../lib/parse-input.js';
import { type StorefrontInput, storefrontInput } from './schema.js';

/** The columns a checked store is written with (all but id, owner and times). */
export type StorefrontValues = {
  slug: string;
  name: string;
  theme: string;
  tracking_id: string;
  seo_title: string;
  seo_description: string;
  category_ids_json: string;
  keywords_json: string;
  product_ids_json: string;
};

/**
 * Checks a store's input against the schema, the affiliate's tracking ids and the catalog:
 * every category and product must exist. Lists lose their duplicates (keywords compare
 * case-insensitively) and keep their order.
 */
export async function checkStorefront(
  ctx: Pick<Ctx, 'db' | 'sqlite'>,
  affiliateId: string,
  input: StorefrontInput,
): Promise<StorefrontValues> {
  const store = parseInput(storefrontInput, input);
  const tracking = (await listTrackingIds(ctx.db, affiliateId)).find(
    (t) => t.name === store.trackingId,
  );
  if (!tracking)
    throw new AppError('tracking_id_not_found', `you have no tracking id ${store.trackingId}`);

  const categoryIds = [...new Set(store.categoryIds)];
  const known = await categoryLineages(ctx.db, categoryIds);
  const unknownCategories = categoryIds.filter((id) => !known.has(id));
  if (unknownCategories.length > 0)
    throw new AppError(
      'category_not_found',
      `no category ${unknownCategories.slice(0, 5).join(', ')} in the catalog`,
    );

  const productIds = [...new Set(store.productIds)];
  const products = await productSummaries(ctx, productIds);
  const unknownProducts = productIds.filter((id) => !products.has(id));
  if (unknownProducts.length > 0)
    throw new AppError(
      'product_not_found',
      `no product ${unknownProducts.slice(0, 5).join(', ')} in the catalog`,
    );

  const seen = new Set<string>();
  const keywords = store.keywords.filter((k) => {
    const key = k.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return {
    slug: store.slug,
    name: store.name,
    theme: store.theme,
    tracking_id: tracking.id,
    seo_title: store.seoTitle,
    seo_description: store.seoDescription,
    category_ids_json: JSON.stringify(categoryIds),
    keywords_json: JSON.stringify(keywords),
    product_ids_json: JSON.stringify(productIds),
  };
}
