import { type Ctx, inTransaction } from '../context.js';
import { type BulkSpec, bulkUpsert, cachedStatement, MAX_BULK_ROWS } from '../db/bulk-upsert.js';
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
  const ids = unique.map((row) => row[0] as string);
  return inTransaction(ctx, async (tx) => {
    const existing = await countStored(tx, ids);
    await bulkUpsert(tx, productSpec, unique);
    return { created: unique.length - existing, updated: existing };
  });
}

/** How many of these product ids are stored already. */
async function countStored(ctx: Pick<Ctx, 'db' | 'sqlite'>, ids: string[]): Promise<number> {
  if (ctx.sqlite) {
    // One cached statement for every batch size (Kysely would prepare a 1,000-parameter
    // statement for each batch, which cost the import a fifth of its time).
    const row = cachedStatement(ctx.sqlite, COUNT_STORED_SQLITE).get([JSON.stringify(ids)]) as {
      n: bigint;
    };
    return Number(row.n);
  }
  const row = await ctx.db
    .selectFrom('products')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('product_id', 'in', ids)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const COUNT_STORED_SQLITE =
  'select count(*) as n from products where product_id in (select value from json_each(?))';
