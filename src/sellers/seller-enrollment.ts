import { z } from 'zod';
import { enrollmentScopes, externalId } from '../catalog/schema.js';
import { setEnrollment } from '../catalog/set-enrollment.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { effectiveFrom } from '../lib/effective-from.js';
import { parseInput } from '../lib/parse-input.js';
import { getSettings } from '../settings/get-settings.js';
import { assertSellerStore, sellerProduct } from './seller-access.js';
import { storeMembership } from './store-membership.js';

export const sellerEnrollmentInput = z
  .object({
    storeId: externalId,
    scope: z.enum(enrollmentScopes),
    targetId: externalId.optional(),
    enrolled: z.boolean(),
    effectiveFrom: z.coerce.date().optional(),
  })
  .strict();
export type SellerEnrollmentInput = z.input<typeof sellerEnrollmentInput>;

/**
 * A seller enrolls (or withdraws) its whole store, a category of it, or one product, now or
 * from a future date. The store as a whole may leave only after the program's least time in
 * it (sellerMinStayDays) and rejoin only after its least time out (sellerMinAwayDays).
 */
export async function setSellerEnrollment(
  ctx: Ctx,
  sellerId: string,
  input: SellerEnrollmentInput,
): Promise<{ id: string; effectiveFrom: string }> {
  const change = parseInput(sellerEnrollmentInput, input);
  const from = effectiveFrom(change.effectiveFrom, ctx.clock.now());
  await assertSellerStore(ctx.db, sellerId, change.storeId);
  if (change.scope === 'product' && change.targetId)
    await sellerProduct(ctx.db, sellerId, change.targetId);
  if (change.scope === 'store') {
    const settings = await getSettings(ctx.db, from);
    const membership = await storeMembership(ctx.db, change.storeId, from, {
      minStayDays: settings.sellerMinStayDays,
      minAwayDays: settings.sellerMinAwayDays,
    });
    const changes = membership.since !== null && membership.enrolled !== change.enrolled;
    if (changes && membership.mayChangeFrom && from.toISOString() < membership.mayChangeFrom) {
      throw membership.enrolled
        ? new AppError(
            'too_early_to_leave',
            `store ${change.storeId} joined the program on ${membership.since}: it may leave from ${membership.mayChangeFrom} (${settings.sellerMinStayDays} days in it)`,
          )
        : new AppError(
            'too_early_to_rejoin',
            `store ${change.storeId} left the program on ${membership.since}: it may rejoin from ${membership.mayChangeFrom} (${settings.sellerMinAwayDays} days out)`,
          );
    }
  }
  // `from` only when a date was asked for: "now" is the service's own now, a moment later, and
  // the moment read here would already be in the past there (with a real clock).
  return setEnrollment(ctx, {
    ...change,
    ...(change.effectiveFrom ? { effectiveFrom: from } : {}),
    createdBy: `seller:${sellerId}`,
  });
}
