import { sql } from 'kysely';
import { toProduct } from '../catalog/queries.js';
import type { Product } from '../catalog/schema.js';
import type { Db } from '../db/types.js';

export const MAX_SELLER_PRODUCT_PAGE = 100;

export type SellerProductPage = {
  products: (Product & { storeName: string; categoryName: string })[];
  /** The product id to pass as `after` for the next page; null on the last page. */
  next: string | null;
};

/**
 * One page of a seller's own products in product id order after `after`: only products of
 * its stores (one store with `storeId`), titles containing `search` (case-insensitive).
 */
export async function listSellerProducts(
  db: Db,
  sellerId: string,
  page: {
    search?: string | undefined;
    storeId?: string | undefined;
    after?: string | undefined;
    limit: number;
  },
): Promise<SellerProductPage> {
  const limit = Math.min(Math.max(page.limit, 1), MAX_SELLER_PRODUCT_PAGE);
  const pattern = page.search
    ? `%${page.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    : undefined;
  const rows = await db
    .selectFrom('products as p')
    .innerJoin('stores as s', 's.id', 'p.store_id')
    .innerJoin('categories as c', 'c.id', 'p.category_id')
    .selectAll('p')
    .select(['s.name as store_name', 'c.name as category_name'])
    .where('s.seller_id', '=', sellerId)
    .$if(page.storeId !== undefined, (q) => q.where('p.store_id', '=', page.storeId as string))
    .$if(pattern !== undefined, (q) =>
      q.where(sql<boolean>`lower(p.title) like ${pattern} escape '\\'`),
    )
    .$if(page.after !== undefined, (q) => q.where('p.product_id', '>', page.after as string))
    .orderBy('p.product_id')
    .limit(limit + 1)
    .execute();
  const products = rows.slice(0, limit).map((row) => ({
    ...toProduct(row),
    storeName: row.store_name,
    categoryName: row.category_name,
  }));
  return {
    products,
    next: rows.length > limit ? (products.at(-1)?.productId ?? null) : null,
  };
}

/** The categories the seller's products (of one store) are in, by name. */
export async function sellerCategories(
  db: Db,
  sellerId: string,
  storeId: string,
): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('products as p')
    .innerJoin('stores as s', 's.id', 'p.store_id')
    .innerJoin('categories as c', 'c.id', 'p.category_id')
    .select(['c.id', 'c.name'])
    .distinct()
    .where('s.seller_id', '=', sellerId)
    .where('p.store_id', '=', storeId)
    .orderBy('c.name')
    .orderBy('c.id')
    .limit(500)
    .execute();
}
