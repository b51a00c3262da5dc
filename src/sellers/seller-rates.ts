import { z } from 'zod';
import { externalId, rateBp } from '../catalog/schema.js';
import { type CommissionRule, setCommissionRate } from '../catalog/set-commission-rate.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { effectiveFrom } from '../lib/effective-from.js';
import { parseInput } from '../lib/parse-input.js';
import { getSettings } from '../settings/get-settings.js';
import { assertSellerStore, sellerProduct } from './seller-access.js';

/** The rules a seller sets: a store default, a category rate, a product rate, a hot rate. */
export const sellerRuleScopes = ['store', 'category', 'product', 'hot_product'] as const;

export const sellerRateInput = z
  .object({
    scope: z.enum(sellerRuleScopes),
    storeId: externalId.optional(),
    targetId: externalId.optional(),
    /** null removes the rule from the effective date on. */
    rateBp: rateBp.nullable(),
    effectiveFrom: z.coerce.date().optional(),
  })
  .strict();
export type SellerRateInput = z.input<typeof sellerRateInput>;

/**
 * A seller's rate change, now or from a future date: only in `seller_rates` mode, only on
 * the seller's own stores and products, within the program's bounds (setCommissionRate).
 * Orders paid before the effective date keep the rate they were locked at.
 */
export async function setSellerRate(
  ctx: Ctx,
  sellerId: string,
  input: SellerRateInput,
): Promise<CommissionRule> {
  const rule = parseInput(sellerRateInput, input);
  const from = effectiveFrom(rule.effectiveFrom, ctx.clock.now());
  await assertSellerRatesMode(ctx, from);
  if (rule.scope === 'store' || rule.scope === 'category') {
    if (!rule.storeId) throw new AppError('invalid_request', `a ${rule.scope} rate needs storeId`);
    await assertSellerStore(ctx.db, sellerId, rule.storeId);
  } else {
    if (!rule.targetId)
      throw new AppError('invalid_request', `a ${rule.scope} rate needs targetId (the product id)`);
    const product = await sellerProduct(ctx.db, sellerId, rule.targetId);
    if (rule.storeId && rule.storeId !== product.storeId)
      throw new AppError(
        'invalid_request',
        `product ${rule.targetId} is in store ${product.storeId}, not ${rule.storeId}`,
      );
  }
  // `from` only when a date was asked for (see setSellerEnrollment).
  return setCommissionRate(ctx, {
    ...rule,
    ...(rule.effectiveFrom ? { effectiveFrom: from } : {}),
    createdBy: `seller:${sellerId}`,
  });
}

/** Refuses seller rate changes while the operator's category table sets every rate. */
export async function assertSellerRatesMode(ctx: Pick<Ctx, 'db'>, at: Date): Promise<void> {
  const { commissionMode } = await getSettings(ctx.db, at);
  if (commissionMode !== 'seller_rates')
    throw new AppError(
      'rates_set_by_program',
      'the program is in fixed_category mode: the operator’s category table sets every rate',
    );
}
