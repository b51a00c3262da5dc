import { type Ctx, inTransaction } from '../context.js';
import { toDbTime } from '../db/time.js';
import type { Product } from './schema.js';

export const MAX_UPSERT_BATCH = 1000;

/**
 * Inserts new products and updates known ones by product id, in one transaction; returns
 * how many were new. A product id repeated in the batch keeps its last row.
 */
export async function upsertProducts(
  ctx: Ctx,
  products: readonly Product[],
): Promise<{ created: number; updated: number }> {
  if (products.length === 0) return { created: 0, updated: 0 };
  if (products.length > MAX_UPSERT_BATCH)
    throw new RangeError(`at most ${MAX_UPSERT_BATCH} products per batch`);
  const unique = [...new Map(products.map((p) => [p.productId, p])).values()];
  const now = toDbTime(ctx.clock.now());
  return inTransaction(ctx, async ({ db: trx }) => {
    const existing = await trx
      .selectFrom('products')
      .select('product_id')
      .where(
        'product_id',
        'in',
        unique.map((p) => p.productId),
      )
      .execute();
    await trx
      .insertInto('products')
      .values(
        unique.map((p) => ({
          product_id: p.productId,
          store_id: p.storeId,
          category_id: p.categoryId,
          title: p.title,
          price_minor: p.priceMinor,
          currency: p.currency,
          url: p.url,
          image_urls_json: JSON.stringify(p.imageUrls),
          sales_volume: p.salesVolume,
          positive_feedback_bp: p.positiveFeedbackBp,
          ship_from: p.shipFrom,
          shipping_methods_json: JSON.stringify(p.shippingMethods),
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.column('product_id').doUpdateSet((eb) => ({
          store_id: eb.ref('excluded.store_id'),
          category_id: eb.ref('excluded.category_id'),
          title: eb.ref('excluded.title'),
          price_minor: eb.ref('excluded.price_minor'),
          currency: eb.ref('excluded.currency'),
          url: eb.ref('excluded.url'),
          image_urls_json: eb.ref('excluded.image_urls_json'),
          sales_volume: eb.ref('excluded.sales_volume'),
          positive_feedback_bp: eb.ref('excluded.positive_feedback_bp'),
          ship_from: eb.ref('excluded.ship_from'),
          shipping_methods_json: eb.ref('excluded.shipping_methods_json'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
    return { created: unique.length - existing.length, updated: existing.length };
  });
}
