import assert from 'node:assert/strict';
import { type Expression, type SqlBool, sql } from 'kysely';
import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';
import { MAX_CATEGORY_DEPTH, toProduct } from './queries.js';
import type { Product } from './schema.js';

export const MAX_SEARCH_PAGE_SIZE = 50;
/** The deepest row a search may skip to: page 1000 of 50. Deeper offsets cost a scan each. */
export const MAX_SEARCH_OFFSET = 49_950;

export const productSorts = ['price_asc', 'price_desc', 'volume_asc', 'volume_desc'] as const;
export type ProductSort = (typeof productSorts)[number];

export type ProductFilter = {
  /** Title contains, case-insensitive. */
  keywords?: string;
  /** The product's category or one of its ancestors is one of these. */
  categoryIds?: readonly string[];
  /** Bounds on the price in minor units of the product's own currency, inclusive. */
  minPriceMinor?: bigint;
  maxPriceMinor?: bigint;
  /** Only products with a hot-product rate in force at this moment. */
  hotAt?: Date;
  minSalesVolume?: bigint;
  productIds?: readonly string[];
  /** Only products of this set (an affiliate's store: src/storefront/). */
  within?: ProductSet;
};

/**
 * A chosen part of the catalog: the products in these categories (or below them) whose
 * title contains one of these words, and these products by id. An empty list of
 * categories or of words does not narrow the other; all three empty choose nothing.
 */
export type ProductSet = {
  categoryIds: readonly string[];
  keywords: readonly string[];
  productIds: readonly string[];
};

export type ProductSearch = ProductFilter & {
  /** Default: product id order. Ties always break by product id, so pages never overlap. */
  sort?: ProductSort;
  limit: number;
  offset: number;
};

export type SearchedProduct = Product & { storeName: string };

/**
 * One page of the catalog matching a filter, with the number of all matching products.
 * Written for both databases: a LIKE with a named escape, a recursive category subquery.
 */
export async function searchProducts(
  db: Db,
  search: ProductSearch,
): Promise<{ total: number; products: SearchedProduct[] }> {
  assert.ok(search.limit >= 1 && search.limit <= MAX_SEARCH_PAGE_SIZE, 'page size out of bounds');
  assert.ok(search.offset >= 0 && search.offset <= MAX_SEARCH_OFFSET, 'offset out of bounds');
  const where = conditions(search);
  const total = await countProducts(db, search, where);
  if (total === 0 || search.offset >= total) return { total, products: [] };
  let query = db
    .selectFrom('products as p')
    .innerJoin('stores as s', 's.id', 'p.store_id')
    .selectAll('p')
    .select('s.name as store_name')
    .where((eb) => eb.and(where))
    .limit(search.limit)
    .offset(search.offset);
  const [column, direction] = ORDER[search.sort ?? 'id'];
  if (column !== 'p.product_id') query = query.orderBy(column, direction);
  query = query.orderBy('p.product_id', direction);
  const rows = await query.execute();
  return {
    total,
    products: rows.map((row) => ({ ...toProduct(row), storeName: row.store_name })),
  };
}

/** Up to `limit` ids of the products matching a filter, best sellers first (no count). */
export async function matchingProductIds(
  db: Db,
  filter: ProductFilter,
  limit: number,
): Promise<string[]> {
  assert.ok(limit >= 1 && limit <= MAX_SEARCH_OFFSET + MAX_SEARCH_PAGE_SIZE, 'limit out of bounds');
  const rows = await db
    .selectFrom('products as p')
    .select('p.product_id')
    .where((eb) => eb.and(conditions(filter)))
    .orderBy('p.sales_volume', 'desc')
    .orderBy('p.product_id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.product_id);
}

/** How many products matching a filter each category holds itself, largest first, at most `limit`. */
export async function countByCategory(
  db: Db,
  filter: ProductFilter,
  limit: number,
): Promise<{ categoryId: string; count: number }[]> {
  assert.ok(limit >= 1 && limit <= 10_000, 'limit out of bounds');
  const rows = await db
    .selectFrom('products as p')
    .select((eb) => ['p.category_id', eb.fn.countAll().as('n')])
    .where((eb) => eb.and(conditions(filter)))
    .groupBy('p.category_id')
    .orderBy('n', 'desc')
    .orderBy('p.category_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ categoryId: r.category_id, count: Number(r.n) }));
}

/** The number of products matching a filter. */
export async function countProducts(
  db: Db,
  filter: ProductFilter,
  where: Expression<SqlBool>[] = conditions(filter),
): Promise<number> {
  const row = await db
    .selectFrom('products as p')
    .select((eb) => eb.fn.countAll().as('n'))
    .where((eb) => eb.and(where))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const ORDER = {
  id: ['p.product_id', 'asc'],
  price_asc: ['p.price_minor', 'asc'],
  price_desc: ['p.price_minor', 'desc'],
  volume_asc: ['p.sales_volume', 'asc'],
  volume_desc: ['p.sales_volume', 'desc'],
} as const;

function conditions(filter: ProductFilter): Expression<SqlBool>[] {
  const where: Expression<SqlBool>[] = [sql<SqlBool>`1 = 1`];
  if (filter.keywords) where.push(titleContains(filter.keywords));
  if (filter.categoryIds && filter.categoryIds.length > 0)
    where.push(categoryIn(filter.categoryIds));
  if (filter.minPriceMinor !== undefined)
    where.push(sql<SqlBool>`p.price_minor >= ${filter.minPriceMinor}`);
  if (filter.maxPriceMinor !== undefined)
    where.push(sql<SqlBool>`p.price_minor <= ${filter.maxPriceMinor}`);
  if (filter.minSalesVolume !== undefined)
    where.push(sql<SqlBool>`p.sales_volume >= ${filter.minSalesVolume}`);
  if (filter.productIds) where.push(productIdIn(filter.productIds));
  if (filter.hotAt) where.push(hotRateInForce(filter.hotAt));
  if (filter.within) where.push(inSet(filter.within));
  return where;
}

function titleContains(keywords: string): Expression<SqlBool> {
  const pattern = `%${keywords.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  // SQLite has no default LIKE escape character; name it so both databases agree.
  return sql<SqlBool>`lower(p.title) like ${pattern} escape '\\'`;
}

/** The listed categories and everything below them, as deep as categoryChain looks up. */
function categoryIn(categoryIds: readonly string[]): Expression<SqlBool> {
  return sql<SqlBool>`p.category_id in (
      with recursive below(id, depth) as (
        select id, 0 from categories where id in (${sql.join(categoryIds)})
        union all
        select c.id, below.depth + 1 from categories c join below on c.parent_id = below.id
        where below.depth < ${MAX_CATEGORY_DEPTH}
      )
      select id from below)`;
}

function inSet(set: ProductSet): Expression<SqlBool> {
  const narrowing: Expression<SqlBool>[] = [];
  if (set.categoryIds.length > 0) narrowing.push(categoryIn(set.categoryIds));
  if (set.keywords.length > 0)
    narrowing.push(sql<SqlBool>`(${sql.join(set.keywords.map(titleContains), sql` or `)})`);
  const chosen: Expression<SqlBool>[] = [];
  if (narrowing.length > 0) chosen.push(sql<SqlBool>`(${sql.join(narrowing, sql` and `)})`);
  if (set.productIds.length > 0) chosen.push(productIdIn(set.productIds));
  if (chosen.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(${sql.join(chosen, sql` or `)})`;
}

function productIdIn(ids: readonly string[]): Expression<SqlBool> {
  if (ids.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`p.product_id in (${sql.join(ids)})`;
}

/**
 * The product's newest hot_product rule at `at` has a rate: the rule rateFor's hot lookup
 * would find (latest by effective_from, created_at, id; a null rate removes it). Whether
 * that rate beats the normal one, and whether the product is enrolled, is rateFor's to say.
 */
function hotRateInForce(at: Date): Expression<SqlBool> {
  const iso = toDbTime(at);
  return sql<SqlBool>`exists (
    select 1 from commission_rules r
    where r.store_id = p.store_id and r.scope = 'hot_product' and r.target_id = p.product_id
      and r.effective_from <= ${iso} and r.rate_bp is not null
      and not exists (
        select 1 from commission_rules n
        where n.store_id = r.store_id and n.scope = 'hot_product' and n.target_id = r.target_id
          and n.effective_from <= ${iso}
          and (n.effective_from > r.effective_from
            or (n.effective_from = r.effective_from and (n.created_at > r.created_at
              or (n.created_at = r.created_at and n.id > r.id))))))`;
}
