import { sql } from 'kysely';
import type { RateDecision } from '../catalog/resolve-rate.js';
import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import { getSettings } from '../settings/get-settings.js';
import { ratesOfProducts } from './rates-of-products.js';
import { assertSellerStore, storeIdsOfSeller } from './seller-access.js';
import { storeMembership } from './store-membership.js';

export const MAX_PRODUCT_PAGE = 100;
export const MAX_PLAN_CHANGES = 1000;

/** The seller's stores, each with its place in the program now and when it may change. */
export async function sellerStores(ctx: Ctx, sellerId: string) {
  const now = ctx.clock.now();
  const settings = await getSettings(ctx.db, now);
  const rows = await ctx.db
    .selectFrom('stores')
    .select(['id', 'name'])
    .where('seller_id', '=', sellerId)
    .orderBy('id')
    .execute();
  const stores = [];
  for (const row of rows) {
    const membership = await storeMembership(ctx.db, row.id, now, {
      minStayDays: settings.sellerMinStayDays,
      minAwayDays: settings.sellerMinAwayDays,
    });
    stores.push({ id: row.id, name: row.name, ...membership });
  }
  return { settings, stores };
}

/**
 * A page of the seller's products in id order (keyset: `after` the last id), optionally of one
 * store and matching `q` in the title or id; each with its rate now, whether it is in the
 * program now, and the product rate changes scheduled after now.
 */
export async function sellerProducts(
  ctx: Ctx,
  sellerId: string,
  query: {
    storeId?: string | undefined;
    q?: string | undefined;
    after?: string | undefined;
    limit: number;
  },
) {
  const now = ctx.clock.now();
  if (query.storeId) await assertSellerStore(ctx.db, sellerId, query.storeId);
  const stores = query.storeId ? [query.storeId] : await storeIdsOfSeller(ctx.db, sellerId);
  if (stores.length === 0) return [];
  let select = ctx.db
    .selectFrom('products')
    .select(['product_id', 'store_id', 'category_id', 'title', 'price_minor', 'currency'])
    .where('store_id', 'in', stores)
    .orderBy('product_id')
    .limit(Math.min(query.limit, MAX_PRODUCT_PAGE));
  if (query.after) select = select.where('product_id', '>', query.after);
  if (query.q) {
    const like = `%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    select = select.where(
      sql<boolean>`(lower(title) like ${like} escape '\\' or lower(product_id) like ${like} escape '\\')`,
    );
  }
  const rows = await select.execute();
  const ids = rows.map((r) => r.product_id);
  const scheduled = ids.length
    ? await ctx.db
        .selectFrom('commission_rules')
        .select(['target_id', 'scope', 'rate_bp', 'effective_from'])
        .where('scope', 'in', ['product', 'hot_product'])
        .where('store_id', 'in', stores)
        .where('target_id', 'in', ids)
        .where('effective_from', '>', toDbTime(now))
        .orderBy('effective_from')
        .orderBy('created_at')
        .execute()
    : [];
  const rates = await ratesOfProducts(
    ctx.db,
    rows.map((r) => ({ productId: r.product_id, storeId: r.store_id, categoryId: r.category_id })),
    now,
  );
  const products = [];
  for (const row of rows) {
    const decision = rates.get(row.product_id) as RateDecision;
    products.push({
      productId: row.product_id,
      storeId: row.store_id,
      categoryId: row.category_id,
      title: row.title,
      priceMinor: row.price_minor,
      currency: row.currency,
      rateBp: decision.rateBp,
      rule: decision.rule.kind,
      enrolled: decision.rule.kind !== 'not_enrolled',
      scheduled: scheduled
        .filter((s) => s.target_id === row.product_id)
        .map((s) => ({
          scope: s.scope,
          rateBp: s.rate_bp === null ? null : Number(s.rate_bp),
          effectiveFrom: s.effective_from,
        })),
    });
  }
  return products;
}

/**
 * A store's plan: its rate rules and enrollment changes, newest effective date first, the
 * latest MAX_PLAN_CHANGES of each; those after now are marked scheduled.
 */
export async function sellerPlan(ctx: Ctx, sellerId: string, storeId: string) {
  await assertSellerStore(ctx.db, sellerId, storeId);
  const now = toDbTime(ctx.clock.now());
  const [rules, enrollments] = await Promise.all([
    ctx.db
      .selectFrom('commission_rules')
      .select(['id', 'scope', 'target_id', 'rate_bp', 'effective_from', 'created_at', 'created_by'])
      .where('store_id', '=', storeId)
      .orderBy('effective_from', 'desc')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(MAX_PLAN_CHANGES + 1)
      .execute(),
    ctx.db
      .selectFrom('enrollments')
      .select([
        'id',
        'scope',
        'target_id',
        'enrolled',
        'effective_from',
        'created_at',
        'created_by',
      ])
      .where('store_id', '=', storeId)
      .orderBy('effective_from', 'desc')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(MAX_PLAN_CHANGES + 1)
      .execute(),
  ]);
  return {
    storeId,
    truncated: rules.length > MAX_PLAN_CHANGES || enrollments.length > MAX_PLAN_CHANGES,
    rules: rules.slice(0, MAX_PLAN_CHANGES).map((r) => ({
      id: r.id,
      scope: r.scope,
      targetId: r.target_id,
      rateBp: r.rate_bp === null ? null : Number(r.rate_bp),
      effectiveFrom: r.effective_from,
      scheduled: r.effective_from > now,
      setBy: setBy(r.created_by),
    })),
    enrollments: enrollments.slice(0, MAX_PLAN_CHANGES).map((e) => ({
      id: e.id,
      scope: e.scope,
      targetId: e.target_id,
      enrolled: Number(e.enrolled) === 1,
      effectiveFrom: e.effective_from,
      scheduled: e.effective_from > now,
      setBy: setBy(e.created_by),
    })),
  };
}

/** Who made a change, without naming the operator's people: the seller, or the program. */
const setBy = (createdBy: string | null) =>
  createdBy?.startsWith('seller:') ? ('seller' as const) : ('operator' as const);
