import { categoryChain } from '../catalog/queries.js';
import {
  type EnrollmentRow,
  type RateDecision,
  type RuleRow,
  resolveRate,
} from '../catalog/resolve-rate.js';
import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';
import { getSettings } from '../settings/get-settings.js';

type ProductRef = { productId: string; storeId: string; categoryId: string };

/** Products a call resolves at most: a page of the seller API. */
export const MAX_RATED_PRODUCTS = 500;

/**
 * The rate of each product at `at`, as `rateFor` gives it, for a page of products in a few
 * queries (the rules and enrollment changes of their stores, their categories' chains, the
 * settings once) instead of four per product: the same facts, filtered per product, go to
 * the same `resolveRate`.
 */
export async function ratesOfProducts(
  db: Db,
  products: readonly ProductRef[],
  at: Date,
): Promise<Map<string, RateDecision>> {
  const out = new Map<string, RateDecision>();
  if (products.length === 0) return out;
  if (products.length > MAX_RATED_PRODUCTS)
    throw new Error(`ratesOfProducts: ${products.length} products, at most ${MAX_RATED_PRODUCTS}`);
  const when = toDbTime(at);
  const stores = [...new Set(products.map((p) => p.storeId))];
  const ids = products.map((p) => p.productId);
  const categories = [...new Set(products.map((p) => p.categoryId))];
  const [settings, chains, rules, enrollments] = await Promise.all([
    getSettings(db, at),
    Promise.all(categories.map(async (c) => [c, await categoryChain(db, c)] as const)),
    db
      .selectFrom('commission_rules')
      .select(['id', 'scope', 'target_id', 'rate_bp', 'effective_from', 'store_id'])
      .where('effective_from', '<=', when)
      .where((eb) =>
        eb.or([
          eb.and([eb('store_id', 'in', stores), eb('scope', 'in', ['store', 'category'])]),
          eb.and([
            eb('store_id', 'in', stores),
            eb('scope', 'in', ['product', 'hot_product']),
            eb('target_id', 'in', ids),
          ]),
          eb('scope', '=', 'program_category'),
        ]),
      )
      .orderBy('effective_from')
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('enrollments')
      .select(['id', 'scope', 'target_id', 'enrolled', 'effective_from', 'store_id'])
      .where('effective_from', '<=', when)
      .where('store_id', 'in', stores)
      .where((eb) =>
        eb.or([
          eb('scope', 'in', ['store', 'category']),
          eb.and([eb('scope', '=', 'product'), eb('target_id', 'in', ids)]),
        ]),
      )
      .orderBy('effective_from')
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  ]);
  const chainOf = new Map(chains);
  for (const product of products) {
    const chain = chainOf.get(product.categoryId) ?? [];
    const inChain = (id: string | null) => id !== null && chain.includes(id);
    // What rulesInForce and enrollmentsInForce select for this one product, in their order.
    const own = (r: { store_id: string | null; scope: string; target_id: string | null }) =>
      r.store_id === product.storeId &&
      (r.scope === 'store' ||
        (r.scope === 'category' && inChain(r.target_id)) ||
        ((r.scope === 'product' || r.scope === 'hot_product') &&
          r.target_id === product.productId));
    out.set(
      product.productId,
      resolveRate({
        mode: settings.commissionMode,
        productId: product.productId,
        categoryChain: chain,
        rules: rules.filter(
          (r) => own(r) || (r.scope === 'program_category' && inChain(r.target_id)),
        ) as RuleRow[],
        enrollments: enrollments.filter(own) as EnrollmentRow[],
        hot: false,
      }),
    );
  }
  return out;
}
