import type { Ctx } from '../context.js';
import { selectWhereIn } from '../db/select-where-in.js';
import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import { loadSettingsTimeline } from '../settings/settings-timeline.js';
import { MAX_CATEGORY_DEPTH } from './queries.js';
import type { RateOptions } from './rate-for.js';
import {
  type EnrollmentRow,
  type RateDecision,
  type RuleRow,
  resolveRate,
} from './resolve-rate.js';

export type RateResolver = {
  /** Reads ahead what these products' rates need (a batch knows its products up front). */
  prefetch(productIds: readonly string[]): Promise<void>;
  rateFor(
    productId: string,
    at: Date,
    options?: RateOptions,
  ): Promise<RateDecision & { productId: string }>;
};

type History = { chain: string[]; rules: RuleRow[]; enrollments: EnrollmentRow[] };
type StoredRule = RuleRow & { store_id: string | null; created_at: string };
type StoredEnrollment = EnrollmentRow & { store_id: string; created_at: string };

/**
 * `rateFor` for many lookups in one piece of work (a batch of order events): the products,
 * the category tree and the whole rule and enrollment history of their stores are read
 * once, in a handful of queries, and the rules in force at each moment are picked in
 * memory, by the same `resolveRate` and the same matching as rateFor's queries. Made for
 * the length of one batch: it does not see rule changes made after it read them.
 */
export async function createRateResolver(
  db: Db,
  /** The SQLite handle, if any: lookups by many ids run as one cached statement on it. */
  ctx: Pick<Ctx, 'sqlite'>,
): Promise<RateResolver> {
  const timeline = await loadSettingsTimeline(db);
  const histories = new Map<string, History | null>();
  let parents: Map<string, string | null> | undefined;

  const prefetch = async (productIds: readonly string[]) => {
    const missing = [...new Set(productIds)].filter((id) => !histories.has(id));
    if (missing.length === 0) return;
    const reader = { db, sqlite: ctx.sqlite };
    const products = await selectWhereIn<{
      product_id: string;
      store_id: string;
      category_id: string;
    }>(reader, {
      from: 'products',
      columns: ['product_id', 'store_id', 'category_id'],
      column: 'product_id',
      values: missing,
    });
    parents ??= new Map(
      (await db.selectFrom('categories').select(['id', 'parent_id']).execute()).map((c) => [
        c.id,
        c.parent_id,
      ]),
    );
    const stores = [...new Set(products.map((p) => p.store_id))];
    const byTime = <T extends { effective_from: string; created_at: string; id: string }>(
      a: T,
      b: T,
    ) =>
      a.effective_from.localeCompare(b.effective_from) ||
      a.created_at.localeCompare(b.created_at) ||
      a.id.localeCompare(b.id);
    const rules =
      stores.length === 0
        ? []
        : (
            (await db
              .selectFrom('commission_rules')
              .select([
                'id',
                'store_id',
                'scope',
                'target_id',
                'rate_bp',
                'effective_from',
                'created_at',
              ])
              .where((eb) =>
                eb.or([eb('store_id', 'in', stores), eb('scope', '=', 'program_category')]),
              )
              .execute()) as StoredRule[]
          ).sort(byTime);
    const enrollments =
      stores.length === 0
        ? []
        : (
            (await db
              .selectFrom('enrollments')
              .select([
                'id',
                'store_id',
                'scope',
                'target_id',
                'enrolled',
                'effective_from',
                'created_at',
              ])
              .where('store_id', 'in', stores)
              .execute()) as StoredEnrollment[]
          ).sort(byTime);
    for (const id of missing) histories.set(id, null);
    for (const p of products) {
      const chain = chainOf(parents, p.category_id);
      const inChain = new Set(chain);
      histories.set(p.product_id, {
        chain,
        rules: rules
          .filter(
            (r) =>
              (r.store_id === p.store_id &&
                (r.scope === 'store' ||
                  (r.scope === 'category' && inChain.has(r.target_id as string)) ||
                  ((r.scope === 'product' || r.scope === 'hot_product') &&
                    r.target_id === p.product_id))) ||
              (r.scope === 'program_category' && inChain.has(r.target_id as string)),
          )
          .map(({ id, scope, target_id, rate_bp, effective_from }) => ({
            id,
            scope,
            target_id,
            rate_bp,
            effective_from,
          })),
        enrollments: enrollments
          .filter(
            (e) =>
              e.store_id === p.store_id &&
              (e.scope === 'store' ||
                (e.scope === 'category' && inChain.has(e.target_id as string)) ||
                (e.scope === 'product' && e.target_id === p.product_id)),
          )
          .map(({ id, scope, target_id, enrolled, effective_from }) => ({
            id,
            scope,
            target_id,
            enrolled,
            effective_from,
          })),
      });
    }
  };

  return {
    prefetch,
    async rateFor(productId, at, options = {}) {
      if (!histories.has(productId)) await prefetch([productId]);
      const history = histories.get(productId);
      if (!history)
        throw new AppError('product_not_found', `no product ${productId} in the catalog`);
      const iso = toDbTime(at);
      const decision = resolveRate({
        mode: timeline.at(at).commissionMode,
        productId,
        categoryChain: history.chain,
        rules: history.rules.filter((r) => r.effective_from <= iso),
        enrollments: history.enrollments.filter((e) => e.effective_from <= iso),
        hot: options.hot ?? false,
      });
      return { productId, ...decision };
    },
  };
}

/** The category and its ancestors, nearest first, as categoryChain's recursive query gives them. */
function chainOf(parents: Map<string, string | null>, categoryId: string): string[] {
  const chain: string[] = [];
  let current: string | null | undefined = categoryId;
  for (let depth = 0; current && parents.has(current) && depth <= MAX_CATEGORY_DEPTH; depth += 1) {
    chain.push(current);
    current = parents.get(current);
  }
  return chain;
}
