import { sql } from 'kysely';
import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';
import type { EnrollmentRow, RuleRow } from './resolve-rate.js';
import type { Product } from './schema.js';

export const MAX_CATEGORY_DEPTH = 16;

export async function findProduct(db: Db, productId: string): Promise<Product | undefined> {
  const row = await db
    .selectFrom('products')
    .selectAll()
    .where('product_id', '=', productId)
    .executeTakeFirst();
  return row ? toProduct(row) : undefined;
}

export function toProduct(row: {
  product_id: string;
  store_id: string;
  category_id: string;
  title: string;
  price_minor: bigint;
  currency: string;
  url: string;
  image_urls_json: string;
  sales_volume: bigint;
  positive_feedback_bp: bigint | null;
  ship_from: string | null;
  shipping_methods_json: string;
}): Product {
  return {
    productId: row.product_id,
    storeId: row.store_id,
    categoryId: row.category_id,
    title: row.title,
    priceMinor: row.price_minor,
    currency: row.currency,
    url: row.url,
    imageUrls: JSON.parse(row.image_urls_json) as string[],
    salesVolume: row.sales_volume,
    positiveFeedbackBp: row.positive_feedback_bp === null ? null : Number(row.positive_feedback_bp),
    shipFrom: row.ship_from,
    shippingMethods: JSON.parse(row.shipping_methods_json) as string[],
  };
}

/** The category and its ancestors, nearest first (one recursive query, bounded depth). */
export async function categoryChain(db: Db, categoryId: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    with recursive chain(id, parent_id, depth) as (
      select id, parent_id, 0 from categories where id = ${categoryId}
      union all
      select c.id, c.parent_id, chain.depth + 1 from categories c
        join chain on c.id = chain.parent_id
      where chain.depth < ${MAX_CATEGORY_DEPTH}
    )
    select id from chain order by depth`.execute(db);
  return result.rows.map((r) => r.id);
}

/** Rule changes of a store (and the operator's table) that touch this product, oldest first. */
export async function rulesInForce(
  db: Db,
  at: Date,
  product: { productId: string; storeId: string },
  chain: readonly string[],
): Promise<RuleRow[]> {
  const categories = chain.length > 0 ? [...chain] : [''];
  return db
    .selectFrom('commission_rules')
    .select(['id', 'scope', 'target_id', 'rate_bp', 'effective_from'])
    .where('effective_from', '<=', toDbTime(at))
    .where((eb) =>
      eb.or([
        eb.and([
          eb('store_id', '=', product.storeId),
          eb.or([
            eb('scope', '=', 'store'),
            eb.and([eb('scope', '=', 'category'), eb('target_id', 'in', categories)]),
            eb.and([
              eb('scope', 'in', ['product', 'hot_product']),
              eb('target_id', '=', product.productId),
            ]),
          ]),
        ]),
        eb.and([eb('scope', '=', 'program_category'), eb('target_id', 'in', categories)]),
      ]),
    )
    .orderBy('effective_from')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Enrollment changes of a store that touch this product, oldest first. */
export async function enrollmentsInForce(
  db: Db,
  at: Date,
  product: { productId: string; storeId: string },
  chain: readonly string[],
): Promise<EnrollmentRow[]> {
  const categories = chain.length > 0 ? [...chain] : [''];
  return db
    .selectFrom('enrollments')
    .select(['id', 'scope', 'target_id', 'enrolled', 'effective_from'])
    .where('store_id', '=', product.storeId)
    .where('effective_from', '<=', toDbTime(at))
    .where((eb) =>
      eb.or([
        eb('scope', '=', 'store'),
        eb.and([eb('scope', '=', 'category'), eb('target_id', 'in', categories)]),
        eb.and([eb('scope', '=', 'product'), eb('target_id', '=', product.productId)]),
      ]),
    )
    .orderBy('effective_from')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function storeExists(db: Db, storeId: string): Promise<boolean> {
  return (
    (await db.selectFrom('stores').select('id').where('id', '=', storeId).executeTakeFirst()) !==
    undefined
  );
}

export async function categoryExists(db: Db, categoryId: string): Promise<boolean> {
  return (
    (await db
      .selectFrom('categories')
      .select('id')
      .where('id', '=', categoryId)
      .executeTakeFirst()) !== undefined
  );
}
