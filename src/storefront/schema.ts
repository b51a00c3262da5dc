import { z } from 'zod';
import { trackingIdName } from '../affiliates/schema.js';
import { externalId } from '../catalog/schema.js';

export const STORE_THEMES = ['classic', 'midnight', 'market'] as const;
export type StoreTheme = (typeof STORE_THEMES)[number];
export const THEME_LABELS: Record<StoreTheme, string> = {
  classic: 'Classic (light, blue)',
  midnight: 'Midnight (dark)',
  market: 'Market (warm, bold)',
};

export const MAX_STOREFRONTS_PER_AFFILIATE = 20;
export const MAX_STORE_CATEGORIES = 50;
export const MAX_STORE_KEYWORDS = 20;
export const MAX_STORE_PRODUCTS = 200;

/**
 * Words that are, or may become, paths of their own under /s/, or that would pass a store
 * off as the program's: refused as slugs.
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'about',
  'admin',
  'affnet',
  'api',
  'assets',
  'category',
  'console',
  'dashboard',
  'docs',
  'edit',
  'help',
  'login',
  'logout',
  'new',
  'official',
  'operator',
  'product',
  'robots',
  'search',
  'settings',
  'signup',
  'sitemap',
  'static',
  'store',
  'stores',
  'support',
  'www',
]);

export const SLUG_RULE =
  '3–40 lower-case letters, digits or hyphens, starting and ending with a letter or digit';

export const storeSlug = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, SLUG_RULE)
  .refine((slug) => !RESERVED_SLUGS.has(slug), 'that word is reserved: choose another slug');

/** What an affiliate chooses for a store; the lists are checked against the catalog later. */
export const storefrontInput = z
  .object({
    name: z.string().trim().min(1, 'give the store a name').max(80, 'at most 80 characters'),
    slug: storeSlug,
    theme: z.enum(STORE_THEMES, { error: 'choose one of the themes' }),
    trackingId: trackingIdName,
    seoTitle: z.string().trim().max(70, 'at most 70 characters: search engines cut the rest'),
    seoDescription: z
      .string()
      .trim()
      .max(160, 'at most 160 characters: search engines cut the rest'),
    categoryIds: z
      .array(externalId)
      .max(MAX_STORE_CATEGORIES, `at most ${MAX_STORE_CATEGORIES} categories`),
    keywords: z
      .array(
        z
          .string()
          .trim()
          .min(2, 'a keyword is at least 2 characters')
          .max(50, 'a keyword is at most 50 characters'),
      )
      .max(MAX_STORE_KEYWORDS, `at most ${MAX_STORE_KEYWORDS} keywords`),
    productIds: z
      .array(externalId)
      .max(MAX_STORE_PRODUCTS, `at most ${MAX_STORE_PRODUCTS} product ids`),
  })
  .strict()
  .refine((s) => s.categoryIds.length + s.keywords.length + s.productIds.length > 0, {
    path: ['categoryIds'],
    message: 'choose at least one category, keyword or product',
  });
export type StorefrontInput = z.input<typeof storefrontInput>;

/** An affiliate's store as the services see it. */
export type Storefront = {
  id: string;
  affiliateId: string;
  slug: string;
  name: string;
  theme: StoreTheme;
  /** The tracking id's name (its row is `trackingRowId`): every product link carries it. */
  trackingId: string;
  trackingRowId: string;
  seoTitle: string;
  seoDescription: string;
  categoryIds: string[];
  keywords: string[];
  productIds: string[];
  createdAt: string;
  updatedAt: string;
};
