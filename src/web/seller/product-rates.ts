import type { PlanRule } from '../../catalog/list-stores.js';
import { storePlans } from '../../catalog/list-stores.js';
import { createRateResolver } from '../../catalog/rate-resolver.js';
import type { Ctx } from '../../context.js';
import { scheduledEnrollments } from '../../sellers/scheduled-enrollments.js';

export type ProductStanding = {
  rateBp: number;
  hotBp: number | null;
  enrolled: boolean;
  explanation: string;
  /** Future-dated rate changes (product and hot-product rules) and enrollment changes. */
  scheduled: { what: string; rateBp: number | null; enrolled?: boolean; effectiveFrom: string }[];
};

/**
 * Where each of these products stands now: its rate and hot rate in force, whether it is
 * enrolled, and the changes dated later — read in a handful of queries for a page.
 */
export async function productStandings(
  ctx: Ctx,
  products: readonly { productId: string; storeId: string }[],
): Promise<Map<string, ProductStanding>> {
  const now = ctx.clock.now();
  const resolver = await createRateResolver(ctx.db, ctx);
  const ids = products.map((p) => p.productId);
  await resolver.prefetch(ids);
  const storeIds = [...new Set(products.map((p) => p.storeId))];
  const [plans, enrollments] = await Promise.all([
    storePlans(ctx.db, storeIds, now),
    scheduledEnrollments(ctx.db, storeIds, now),
  ]);
  const out = new Map<string, ProductStanding>();
  for (const { productId, storeId } of products) {
    const normal = await resolver.rateFor(productId, now);
    const hot = await resolver.rateFor(productId, now, { hot: true });
    const rules = (plans.get(storeId)?.scheduled ?? []).filter(
      (r): r is Omit<PlanRule, 'rateBp'> & { rateBp: number | null } =>
        r.targetId === productId && (r.scope === 'product' || r.scope === 'hot_product'),
    );
    out.set(productId, {
      rateBp: normal.rateBp,
      hotBp: hot.rule.kind === 'hot_product' ? hot.rateBp : null,
      enrolled: normal.rule.kind !== 'not_enrolled',
      explanation: normal.explanation,
      scheduled: [
        ...rules.map((r) => ({
          what: r.scope === 'hot_product' ? 'hot rate' : 'rate',
          rateBp: r.rateBp,
          effectiveFrom: r.effectiveFrom,
        })),
        ...enrollments
          .filter((e) => e.scope === 'product' && e.targetId === productId)
          .map((e) => ({
            what: e.enrolled ? 'enrolled' : 'withdrawn',
            rateBp: null,
            enrolled: e.enrolled,
            effectiveFrom: e.effectiveFrom,
          })),
      ].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom)),
    });
  }
  return out;
}
