import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import { getSettings } from '../settings/get-settings.js';
import { categoryChain, enrollmentsInForce, findProduct, rulesInForce } from './queries.js';
import { type RateDecision, resolveRate } from './resolve-rate.js';

export type RateOptions = {
  /** The click came through a hot link. */
  hot?: boolean;
};

/**
 * The commission rate in basis points for a product at a moment, and the rule that
 * produced it. Orders lock the answer for their paid_at; later changes never alter it.
 */
export async function rateFor(
  db: Db,
  productId: string,
  at: Date,
  options: RateOptions = {},
): Promise<RateDecision & { productId: string }> {
  const product = await findProduct(db, productId);
  if (!product) throw new AppError('product_not_found', `no product ${productId} in the catalog`);
  const [settings, chain] = await Promise.all([
    getSettings(db, at),
    categoryChain(db, product.categoryId),
  ]);
  const [rules, enrollments] = await Promise.all([
    rulesInForce(db, at, product, chain),
    enrollmentsInForce(db, at, product, chain),
  ]);
  const decision = resolveRate({
    mode: settings.commissionMode,
    productId,
    categoryChain: chain,
    rules,
    enrollments,
    hot: options.hot ?? false,
  });
  return { productId, ...decision };
}
