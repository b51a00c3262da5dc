import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import { AppError } from '../errors.js';
import { effectiveFrom } from '../lib/effective-from.js';
import { newId } from '../lib/ids.js';
import { parseInput } from '../lib/parse-input.js';
import { formatBasisPoints } from '../money.js';
import { getSettings } from '../settings/get-settings.js';
import { categoryExists, findProduct, storeExists } from './queries.js';
import { rateFor } from './rate-for.js';
import { type CommissionRuleInput, commissionRuleInput } from './schema.js';

export type CommissionRule = {
  id: string;
  scope: string;
  storeId: string | null;
  targetId: string | null;
  rateBp: number | null;
  effectiveFrom: string;
};

/**
 * Records a commission rule (store default, category, product, hot product, or a row of the
 * operator's category table), effective now or at a future date. Rates are checked against
 * the program's bounds; a hot rate must beat the product's normal rate.
 */
export async function setCommissionRate(
  ctx: Ctx,
  input: CommissionRuleInput,
): Promise<CommissionRule> {
  const rule = parseInput(commissionRuleInput, input);
  const from = effectiveFrom(rule.effectiveFrom, ctx.clock.now());
  const settings = await getSettings(ctx.db, from);
  let storeId = rule.storeId ?? null;
  const targetId = rule.targetId ?? null;

  switch (rule.scope) {
    case 'store':
      if (!storeId) throw new AppError('invalid_request', 'a store rule needs storeId');
      if (targetId) throw new AppError('invalid_request', 'a store rule takes no targetId');
      break;
    case 'category':
      if (!storeId || !targetId)
        throw new AppError('invalid_request', 'a category rule needs storeId and targetId');
      break;
    case 'program_category':
      if (storeId || !targetId)
        throw new AppError(
          'invalid_request',
          'a program category rule needs targetId and no storeId',
        );
      break;
    case 'product':
    case 'hot_product': {
      if (!targetId)
        throw new AppError(
          'invalid_request',
          `a ${rule.scope} rule needs targetId (the product id)`,
        );
      const product = await findProduct(ctx.db, targetId);
      if (!product)
        throw new AppError('product_not_found', `no product ${targetId} in the catalog`);
      if (storeId && storeId !== product.storeId) {
        throw new AppError(
          'invalid_request',
          `product ${targetId} belongs to store ${product.storeId}, not ${storeId}`,
        );
      }
      storeId = product.storeId;
    }
  }
  if (storeId && !(await storeExists(ctx.db, storeId)))
    throw new AppError('store_not_found', `no store ${storeId}`);
  if (
    (rule.scope === 'category' || rule.scope === 'program_category') &&
    targetId &&
    !(await categoryExists(ctx.db, targetId))
  ) {
    throw new AppError('category_not_found', `no category ${targetId}`);
  }

  if (rule.rateBp !== null) {
    const [min, max] =
      rule.scope === 'program_category'
        ? [settings.categoryRateMinBp, settings.categoryRateMaxBp]
        : [settings.sellerRateMinBp, settings.sellerRateMaxBp];
    if (rule.rateBp < min || rule.rateBp > max) {
      throw new AppError(
        'rate_out_of_bounds',
        `${formatBasisPoints(rule.rateBp)} is outside the program's bounds for this rule (${formatBasisPoints(min)}–${formatBasisPoints(max)})`,
      );
    }
    if (rule.scope === 'hot_product' && targetId) {
      const normal = await rateFor(ctx.db, targetId, from);
      if (rule.rateBp <= normal.rateBp) {
        throw new AppError(
          'hot_rate_not_above_normal',
          `a hot rate of ${formatBasisPoints(rule.rateBp)} does not beat the normal rate of ${formatBasisPoints(normal.rateBp)}`,
        );
      }
    }
  }

  const row = {
    id: newId('rule', ctx.clock),
    owner: rule.scope === 'program_category' ? ('operator' as const) : ('seller' as const),
    store_id: storeId,
    scope: rule.scope,
    target_id: targetId,
    rate_bp: rule.rateBp,
    effective_from: toDbTime(from),
    created_at: toDbTime(ctx.clock.now()),
    created_by: rule.createdBy ?? null,
  };
  await ctx.db.insertInto('commission_rules').values(row).execute();
  return {
    id: row.id,
    scope: row.scope,
    storeId,
    targetId,
    rateBp: rule.rateBp,
    effectiveFrom: row.effective_from,
  };
}
