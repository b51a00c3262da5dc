import {
  MAX_SEARCH_OFFSET,
  matchingProductIds,
  type ProductSet,
  type SearchedProduct,
  searchProducts,
} from '../catalog/search-products.js';
import type { Db } from '../db/types.js';
import type { Storefront } from './schema.js';

export const STORE_PAGE_SIZE = 24;
/** The deepest page a store lists: the catalog's search goes no deeper. */
export const MAX_STORE_PAGE = Math.floor(MAX_SEARCH_OFFSET / STORE_PAGE_SIZE) + 1;
/** The most products a sitemap or a static export carries. */
export const MAX_LISTED_STORE_PRODUCTS = 5_000;

/** What a store shows: its categories (and below) narrowed by its keywords, plus its products. */
export function productSetOf(store: Storefront): ProductSet {
  return {
    categoryIds: store.categoryIds,
    keywords: store.keywords,
    productIds: store.productIds,
  };
}

export type StorePage = { total: number; pages: number; page: number; products: SearchedProduct[] };

/**
 * One page of the store's products, best sellers first: all of them, those of one category
 * (and below), or those whose title contains a search text.
 */
export async function storeProducts(
  db: Db,
  store: Storefront,
  options: { categoryId?: string; query?: string; page?: number; pageSize?: number } = {},
): Promise<StorePage> {
  const pageSize = options.pageSize ?? STORE_PAGE_SIZE;
  const page = Math.min(Math.max(1, options.page ?? 1), MAX_STORE_PAGE);
  const { total, products } = await searchProducts(db, {
    within: productSetOf(store),
    ...(options.categoryId ? { categoryIds: [options.categoryId] } : {}),
    ...(options.query ? { keywords: options.query } : {}),
    sort: 'volume_desc',
    limit: pageSize,
    offset: Math.min((page - 1) * pageSize, MAX_SEARCH_OFFSET),
  });
  const pages = Math.min(Math.max(1, Math.ceil(total / pageSize)), MAX_STORE_PAGE);
  return { total, pages, page, products };
}

/** One product, if the store shows it. */
export async function storeProduct(
  db: Db,
  store: Storefront,
  productId: string,
): Promise<SearchedProduct | undefined> {
  if (productId.length > 64) return undefined;
  const { products } = await searchProducts(db, {
    within: productSetOf(store),
    productIds: [productId],
    limit: 1,
    offset: 0,
  });
  return products[0];
}

/** The ids of the store's products, best sellers first, at most MAX_LISTED_STORE_PRODUCTS. */
export function storeProductIds(db: Db, store: Storefront): Promise<string[]> {
  return matchingProductIds(db, { within: productSetOf(store) }, MAX_LISTED_STORE_PRODUCTS);
}

/** Full rows of these products of the store (50 at a time), in the order given. */
export async function storeProductsByIds(
  db: Db,
  store: Storefront,
  ids: readonly string[],
): Promise<SearchedProduct[]> {
  const found = new Map<string, SearchedProduct>();
  for (let i = 0; i < ids.length; i += 50) {
    const chunk = ids.slice(i, i + 50);
    const { products } = await searchProducts(db, {
      within: productSetOf(store),
      productIds: chunk,
      limit: 50,
      offset: 0,
    });
    for (const p of products) found.set(p.productId, p);
  }
  return ids.flatMap((id) => found.get(id) ?? []);
}
