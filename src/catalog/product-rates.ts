import type { Ctx } from '../context.js';
import { createRateResolver } from './rate-resolver.js';

/** A product's rate now, and its hot-product rate when one would be paid through a hot link. */
export type ProductRates = { rateBp: number; hotBp: number | null; explanation: string };

/** The rates of a page of products at `at`, from one rate resolver (a few queries in all). */
export async function productRates(
  ctx: Pick<Ctx, 'db' | 'sqlite'>,
  productIds: readonly string[],
  at: Date,
): Promise<Map<string, ProductRates>> {
  const resolver = await createRateResolver(ctx.db, ctx);
  await resolver.prefetch(productIds);
  const rates = new Map<string, ProductRates>();
  for (const id of productIds) {
    const normal = await resolver.rateFor(id, at);
    const hot = await resolver.rateFor(id, at, { hot: true });
    rates.set(id, {
      rateBp: normal.rateBp,
      hotBp: hot.rule.kind === 'hot_product' ? hot.rateBp : null,
      explanation: normal.explanation,
    });
  }
  return rates;
}
