import { z } from 'zod';
import { externalId } from '../../catalog/schema.js';
import type { AppError } from '../../errors.js';
import { effectiveDay, percentInput } from './inputs.js';

/** The scopes a seller's plan has, as the rate form offers them. */
export const STORE_RULE_SCOPES = [
  { value: 'store', label: 'Store default' },
  { value: 'category', label: 'Category' },
  { value: 'product', label: 'Product' },
  { value: 'hot_product', label: 'Hot product' },
] as const;
export const ENROLLMENT_SCOPES = [
  { value: 'store', label: 'Whole store' },
  { value: 'category', label: 'Category' },
  { value: 'product', label: 'Product' },
] as const;

const optionalTarget = z
  .string()
  .trim()
  .max(64)
  .optional()
  .transform((t) => t || undefined)
  .pipe(externalId.optional());

/** A target is needed for everything but the whole store, and refused for the whole store. */
function checkTarget(
  form: { scope: string; targetId?: string | undefined },
  c: z.RefinementCtx,
  name = 'targetId',
) {
  if (form.scope === 'store' && form.targetId)
    c.addIssue({ code: 'custom', path: [name], message: 'leave empty for the whole store' });
  if (form.scope !== 'store' && !form.targetId)
    c.addIssue({
      code: 'custom',
      path: [name],
      message: `the ${form.scope === 'category' ? 'category' : 'product'} id`,
    });
}

export function storeRateForm(now: Date) {
  return z
    .object({
      scope: z.enum(['store', 'category', 'product', 'hot_product'], { error: 'choose a scope' }),
      targetId: optionalTarget,
      rate: percentInput,
      effectiveFrom: effectiveDay(now),
    })
    .superRefine((form, c) => checkTarget(form, c));
}

/** A rule taken out from now on: the remove button of its row. */
export function removeRuleForm() {
  return z
    .object({
      scope: z.enum(['store', 'category', 'product', 'hot_product']),
      targetId: optionalTarget,
    })
    .superRefine((form, c) => checkTarget(form, c));
}

/** The enrollment form: its own field names, as it shares the store page with the rate form. */
export function enrollmentForm(now: Date) {
  return z
    .object({
      enrollScope: z.enum(['store', 'category', 'product'], { error: 'choose a scope' }),
      enrollTarget: optionalTarget,
      enrolled: z.enum(['yes', 'no'], { error: 'enroll or withdraw' }),
      enrollFrom: effectiveDay(now),
    })
    .superRefine((form, c) =>
      checkTarget({ scope: form.enrollScope, targetId: form.enrollTarget }, c, 'enrollTarget'),
    );
}

export function categoryRateForm(now: Date) {
  return z.object({
    targetId: externalId,
    rate: percentInput,
    effectiveFrom: effectiveDay(now),
  });
}

/** The form field a plan service's refusal is about (`names` for a form with its own names). */
export function planErrorField(
  error: AppError,
  names: { targetId: string; effectiveFrom: string } = {
    targetId: 'targetId',
    effectiveFrom: 'effectiveFrom',
  },
): string {
  switch (error.code) {
    case 'rate_out_of_bounds':
    case 'hot_rate_not_above_normal':
      return 'rate';
    case 'effective_date_in_past':
      return names.effectiveFrom;
    case 'product_not_found':
    case 'category_not_found':
    case 'invalid_request':
      return names.targetId;
    default:
      return '_form';
  }
}

/** A refusal as the form shows it: next to its field, or above the form. */
export function refusedForm(
  values: Record<string, string>,
  error: AppError,
  name: string,
): { values: Record<string, string>; errors: Record<string, string>; message?: string } {
  return name === '_form'
    ? { values, errors: {}, message: error.message }
    : { values, errors: { [name]: error.message } };
}
