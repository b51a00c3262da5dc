import { z } from 'zod';

/** Marketplace-chosen ids (products, stores, categories): printable, URL-safe, ≤ 64 chars. */
export const externalId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/, 'must be 1–64 letters, digits or . _ : / -');

export const countryCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'must be a two-letter ISO 3166 country code');

export const rateBp = z.number().int('rates are whole basis points').min(0).max(10_000);

export const ruleScopes = [
  'store',
  'category',
  'product',
  'hot_product',
  'program_category',
] as const;
export type RuleScope = (typeof ruleScopes)[number];
export const enrollmentScopes = ['store', 'category', 'product'] as const;
export type EnrollmentScope = (typeof enrollmentScopes)[number];

/** A commission rule as sellers and the operator set it. */
export const commissionRuleInput = z
  .object({
    scope: z.enum(ruleScopes),
    storeId: externalId.optional(),
    targetId: externalId.optional(),
    /** null removes the rule from the effective date on. */
    rateBp: rateBp.nullable(),
    effectiveFrom: z.coerce.date().optional(),
    createdBy: z.string().max(200).optional(),
  })
  .strict();
export type CommissionRuleInput = z.input<typeof commissionRuleInput>;

export const enrollmentInput = z
  .object({
    storeId: externalId,
    scope: z.enum(enrollmentScopes),
    targetId: externalId.optional(),
    enrolled: z.boolean(),
    effectiveFrom: z.coerce.date().optional(),
    createdBy: z.string().max(200).optional(),
  })
  .strict();
export type EnrollmentInput = z.input<typeof enrollmentInput>;

export type Product = {
  productId: string;
  storeId: string;
  categoryId: string;
  title: string;
  priceMinor: bigint;
  currency: string;
  url: string;
  imageUrls: string[];
  salesVolume: bigint;
  positiveFeedbackBp: number | null;
  shipFrom: string | null;
  shippingMethods: string[];
};
