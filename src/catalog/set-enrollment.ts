import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import { AppError } from '../errors.js';
import { effectiveFrom } from '../lib/effective-from.js';
import { newId } from '../lib/ids.js';
import { parseInput } from '../lib/parse-input.js';
import { categoryExists, findProduct, storeExists } from './queries.js';
import { type EnrollmentInput, enrollmentInput } from './schema.js';

/**
 * Enrolls (or withdraws) a whole store, one of its categories, or a single product, from
 * now or a future date. The most specific enrollment decides: product > category > store.
 */
export async function setEnrollment(
  ctx: Ctx,
  input: EnrollmentInput,
): Promise<{ id: string; effectiveFrom: string }> {
  const change = parseInput(enrollmentInput, input);
  const from = effectiveFrom(change.effectiveFrom, ctx.clock.now());
  if (!(await storeExists(ctx.db, change.storeId)))
    throw new AppError('store_not_found', `no store ${change.storeId}`);
  const targetId = change.targetId ?? null;
  if (change.scope === 'store' && targetId)
    throw new AppError('invalid_request', 'a store enrollment takes no targetId');
  if (change.scope !== 'store' && !targetId)
    throw new AppError('invalid_request', `a ${change.scope} enrollment needs targetId`);
  if (change.scope === 'category' && targetId && !(await categoryExists(ctx.db, targetId))) {
    throw new AppError('category_not_found', `no category ${targetId}`);
  }
  if (change.scope === 'product' && targetId) {
    const product = await findProduct(ctx.db, targetId);
    if (!product) throw new AppError('product_not_found', `no product ${targetId} in the catalog`);
    if (product.storeId !== change.storeId) {
      throw new AppError(
        'invalid_request',
        `product ${targetId} belongs to store ${product.storeId}`,
      );
    }
  }
  const id = newId('enr', ctx.clock);
  await ctx.db
    .insertInto('enrollments')
    .values({
      id,
      store_id: change.storeId,
      scope: change.scope,
      target_id: targetId,
      enrolled: change.enrolled ? 1 : 0,
      effective_from: toDbTime(from),
      created_at: toDbTime(ctx.clock.now()),
      created_by: change.createdBy ?? null,
    })
    .execute();
  return { id, effectiveFrom: toDbTime(from) };
}
