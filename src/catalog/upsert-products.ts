import { type Ctx, inTransaction } from '../context.js';
import { type BulkSpec, bulkUpsert, MAX_BULK_ROWS } from '../db/bulk-upsert.js';
import { toDbTime } from '../db/time.js';
import type { Product } from './schema.js';

export const MAX_UPSERT_BATCH = MAX_BULK_ROWS;

const productColumns: BulkSpec['columns'] = [
  { name: 'product_id', type: 'text' },
  { name: 'store_id', type: 'text' },
  { name: 'category_id', type: 'text' },
  { name: 'title', type: 'text' },
  { name: 'price_minor', type: 'bigint' },
  { name: 'currency', type: 'text' },
  { name: 'url', type: 'text' },
  { name: 'image_urls_json', type: 'text' },
  { name: 'sales_volume', type: 'bigint' },
  { name: 'positive_feedback_bp', type: 'bigint' },
  { name: 'ship_from', type: 'text' },
  { name: 'shipping_methods_json', type: 'text' },
  { name: 'created_at', type: 'text' },
  { name: 'updated_at', type: 'text' },
];

/** The products table as a bulk write: keyed by product_id; a re-import overwrites all but created_at. */
export const productSpec: BulkSpec = {
  table: 'products',
  columns: productColumns,
  conflict: ['product_id'],
  update: productColumns
    .map((c) => c.name)
    .filter((name) => name !== 'product_id' && name !== 'created_at'),
};

/** A product as the values of `productSpec.columns`, in order. */
export function productValues(p: Product, now: string): unknown[] {
  return [
    p.productId,
    p.storeId,
    p.categoryId,
    p.title,
    p.priceMinor,
    p.currency,
    p.url,
    JSON.stringify(p.imageUrls),
    p.salesVolume,
    p.positiveFeedbackBp === null ? null : BigInt(p.positiveFeedbackBp),
    p.shipFrom,
    JSON.stringify(p.shippingMethods),
    now,
    now,
  ];
}

/** Keeps the last row of each product id: one statement may not touch a row twice. */
export function lastPerProduct(rows: readonly unknown[][]): unknown[][] {
  return [...new Map(rows.map((row) => [row[0], row])).values()];
}

/**
 * Inserts new products and updates known ones by product id, in one transaction; returns
 * how many were new. A product id repeated in the batch keeps its last row.
 */
export async function upsertProducts(
  ctx: Ctx,
  products: readonly Product[],
): Promise<{ created: number; updated: number }> {
  const now = toDbTime(ctx.clock.now());
  return upsertProductRows(
    ctx,
    products.map((p) => productValues(p, now)),
  );
}

/** The same, for rows already in `productSpec` column order (the import's form). */
export async function upsertProductRows(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite'>,
  rows: readonly unknown[][],
): Promise<{ created: number; updated: number }> {
  if (rows.length === 0) return { created: 0, updated: 0 };
  if (rows.length > MAX_UPSERT_BATCH)
    throw new RangeError(`at most ${MAX_UPSERT_BATCH} products per batch`);
  const unique = lastPerProduct(rows);
  return inTransaction(ctx, async (tx) => {
    const existing = await tx.db
      .selectFrom('products')
      .select('product_id')
      .where(
        'product_id',
        'in',
        unique.map((row) => row[0] as string),
      )
      .execute();
    await bulkUpsert(tx, productSpec, unique);
    return { created: unique.length - existing.length, updated: existing.length };
  });
}
