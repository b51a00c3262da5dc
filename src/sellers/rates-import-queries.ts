import type { Db } from '../db/types.js';

/** Ids per `in (…)` list: under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 1000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** Of these product ids, those in the seller's stores, with their store: one query per 1,000 ids. */
export async function sellerProductsByIds(
  db: Db,
  sellerId: string,
  productIds: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const ids of chunks([...new Set(productIds)])) {
    const rows = await db
      .selectFrom('products as p')
      .innerJoin('stores as s', 's.id', 'p.store_id')
      .select(['p.product_id', 'p.store_id'])
      .where('s.seller_id', '=', sellerId)
      .where('p.product_id', 'in', ids)
      .execute();
    for (const row of rows) found.set(row.product_id, row.store_id);
  }
  return found;
}

export type ProductRule = { from: string; rateBp: number | null };

/**
 * Every product-rate rule of these products (past and scheduled), oldest first in the order
 * the rate resolver reads them: effective date, then creation, then id.
 */
export async function productRulesOf(
  db: Db,
  storeIds: readonly string[],
  productIds: readonly string[],
): Promise<Map<string, ProductRule[]>> {
  const rules = new Map<string, ProductRule[]>();
  const stores = new Set(storeIds);
  for (const ids of chunks([...new Set(productIds)])) {
    const rows = await db
      .selectFrom('commission_rules')
      .select(['store_id', 'target_id', 'rate_bp', 'effective_from'])
      .where('scope', '=', 'product')
      .where('target_id', 'in', ids)
      .orderBy('effective_from')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    for (const row of rows) {
      if (row.target_id === null || !row.store_id || !stores.has(row.store_id)) continue;
      const list = rules.get(row.target_id) ?? [];
      list.push({
        from: row.effective_from,
        rateBp: row.rate_bp === null ? null : Number(row.rate_bp),
      });
      rules.set(row.target_id, list);
    }
  }
  return rules;
}
