import { z } from 'zod';
import { countryCode, currencyCode, externalId } from './schema.js';

// CSV cells are strings and JSON lines carry typed values: the schema takes either.
const integerText = (max: bigint) =>
  z
    .union([
      z
        .string()
        .trim()
        .regex(/^\d{1,18}$/, 'must be a whole number'),
      z.number().int().nonnegative(),
    ])
    .transform((value) => BigInt(value))
    .refine((value) => value <= max, `must be at most ${max}`);
const list = (item: z.ZodType<string, string>, max: number) =>
  z
    .union([
      z
        .string()
        .transform((text) => (text.trim() === '' ? [] : text.split('|').map((s) => s.trim()))),
      z.array(z.string()),
    ])
    .pipe(z.array(item).max(max));
const optionalText = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional());

/** One product of an import file, after validation. Unknown columns are ignored. */
export const productRow = z
  .object({
    product_id: externalId,
    title: z.string().trim().min(1, 'must not be empty').max(500),
    price_minor: integerText(10n ** 15n),
    currency: currencyCode,
    url: z.string().trim().min(1).max(2048),
    store_id: externalId,
    store_name: optionalText(z.string().trim().min(1).max(200)),
    category_id: optionalText(externalId),
    category_path: optionalText(
      z
        .string()
        .transform((text) => text.split('>').map((part) => part.trim()))
        .pipe(z.array(z.string().min(1, 'has an empty level').max(100)).min(1).max(6)),
    ),
    image_urls: optionalText(list(z.url({ protocol: /^https?$/ }).max(2048), 20)),
    sales_volume: optionalText(integerText(10n ** 12n)),
    positive_feedback_bp: optionalText(integerText(10_000n)),
    ship_from: optionalText(countryCode),
    shipping_methods: optionalText(
      list(z.string().regex(/^[A-Z0-9_]{1,40}$/, 'shipping methods are UPPER_SNAKE'), 20),
    ),
  })
  .refine((row) => row.category_id !== undefined || row.category_path !== undefined, {
    message: 'needs category_id or category_path',
    path: ['category_id'],
  });

export type ProductRow = z.output<typeof productRow>;
