import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import { loadSettingsTimeline } from '../settings/settings-timeline.js';
import { categoryChain, enrollmentsInForce, findProduct, rulesInForce } from './queries.js';
import type { RateOptions } from './rate-for.js';
import { type RateDecision, resolveRate } from './resolve-rate.js';

const END_OF_TIME = new Date('9999-12-31T23:59:59.999Z');

export type RateResolver = {
  rateFor(
    productId: string,
    at: Date,
    options?: RateOptions,
  ): Promise<RateDecision & { productId: string }>;
};

/**
 * `rateFor` for many lookups in one piece of work (a batch of order events): each product's
 * category chain and its whole rule and enrollment history are read once, and the rules in
 * force at each moment are picked in memory, by the same `resolveRate`. Made for the length
 * of one batch: it does not see rule changes made after it read them.
 */
export async function createRateResolver(db: Db): Promise<RateResolver> {
  const timeline = await loadSettingsTimeline(db);
  const histories = new Map<string, ReturnType<typeof loadHistory>>();
  return {
    async rateFor(productId, at, options = {}) {
      let history = histories.get(productId);
      if (!history) {
        history = loadHistory(db, productId);
        histories.set(productId, history);
      }
      const { chain, rules, enrollments } = await history;
      const iso = toDbTime(at);
      const decision = resolveRate({
        mode: timeline.at(at).commissionMode,
        productId,
        categoryChain: chain,
        rules: rules.filter((r) => r.effective_from <= iso),
        enrollments: enrollments.filter((e) => e.effective_from <= iso),
        hot: options.hot ?? false,
      });
      return { productId, ...decision };
    },
  };
}

async function loadHistory(db: Db, productId: string) {
  const product = await findProduct(db, productId);
  if (!product) throw new AppError('product_not_found', `no product ${productId} in the catalog`);
  const chain = await categoryChain(db, product.categoryId);
  const [rules, enrollments] = await Promise.all([
    rulesInForce(db, END_OF_TIME, product, chain),
    enrollmentsInForce(db, END_OF_TIME, product, chain),
  ]);
  return { chain, rules, enrollments };
}
