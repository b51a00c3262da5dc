import { isValidBIC, isValidIBAN } from 'ibantools';
import { z } from 'zod';
import { isCurrencyCode } from '../currencies.js';

const bp = z.number().int().min(0).max(10_000);
const days = (max: number) => z.number().int().min(0).max(max);
const minor = z
  .union([
    z.string().regex(/^\d{1,18}$/),
    z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  ])
  .transform((value) => BigInt(value));
export const shippingClasses = ['express', 'post', 'seller'] as const;
const domain = z
  .string()
  .toLowerCase()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/,
    'not a host name',
  );

/**
 * Program settings: one schema per key, each with the default from PRODUCT.md. Stored as
 * JSON (amounts as decimal strings of minor units) in an append-only change log.
 */
export const settingSchemas = {
  commissionMode: z.enum(['seller_rates', 'fixed_category']).default('seller_rates'),
  sellerRateMinBp: bp.default(350),
  sellerRateMaxBp: bp.default(5000),
  categoryRateMinBp: bp.default(700),
  categoryRateMaxBp: bp.default(1200),
  /** A store in the program may leave it only after this many days in it. */
  sellerMinStayDays: days(365).default(15),
  /** A store that left the program may rejoin only after this many days out. */
  sellerMinAwayDays: days(365).default(7),
  attributionWindowDays: days(365).min(1).default(30),
  protectionDays: z
    .object({ express: days(365), post: days(365), seller: days(365) })
    .strict()
    .default({ express: 30, post: 60, seller: 45 }),
  shippingMethodClasses: z
    .record(
      z.string().regex(/^[A-Z0-9_]{1,40}$/, 'shipping method names are UPPER_SNAKE'),
      z.enum(shippingClasses),
    )
    .default({
      DHL: 'express',
      FEDEX: 'express',
      UPS: 'express',
      EMS: 'express',
      CHINA_POST: 'post',
      HONGKONG_POST: 'post',
      OTHER_POST: 'post',
      SELLER_SHIPPING: 'seller',
    }),
  settlementDelayDays: days(90).default(0),
  invalidAfterDays: days(3650).min(1).default(180),
  settlementCurrency: z.string().refine(isCurrencyCode, 'not an ISO 4217 currency').default('USD'),
  minWithdrawalMinor: minor.default(1600n),
  withdrawalFeeMinor: minor.default(1500n),
  payoutDayOfMonth: z.number().int().min(1).max(28).default(20),
  /** The operator's account that payout files debit; empty until the operator sets it. */
  payoutDebtorName: z.string().trim().max(70).default(''),
  payoutDebtorIban: z
    .string()
    .transform((v) => v.replace(/\s/g, '').toUpperCase())
    .refine((v) => v === '' || isValidIBAN(v), 'not a valid IBAN')
    .default(''),
  payoutDebtorBic: z
    .string()
    .transform((v) => v.replace(/\s/g, '').toUpperCase())
    .refine((v) => v === '' || isValidBIC(v), 'not a valid SWIFT/BIC code')
    .default(''),
  /** Countries whose affiliates are paid by hand (no bank file): the manual rail. */
  manualPayoutCountries: z
    .array(z.string().regex(/^[A-Z]{2}$/, 'two-letter country codes, upper case'))
    .max(300)
    .default([]),
  autoApproveAffiliates: z.boolean().default(false),
  marketplaceDomains: z.array(domain).max(100).default([]),
  maxTrackingIds: z.number().int().min(1).max(1000).default(50),
  newBuyerBonusBp: bp.default(0),
  // Fraud signals, judged when an order is paid (src/fraud/): an order that raises one is
  // held for the operator's review — its commission stays estimated and does not settle
  // until released. 0 turns a signal off.
  /** Click injection: the order was paid less than this many seconds after its click. */
  fraudClickInjectionSeconds: z.number().int().min(0).max(3600).default(10),
  /**
   * Click flood: at least this many clicks on the affiliate's links from the visitor of the
   * attributed click (one IP hash) in the 24 h before payment, that click included. The
   * hash's salt changes at midnight UTC, so the count starts at the later of the two.
   */
  fraudClickFloodPerVisitor: z.number().int().min(0).max(1_000_000).default(30),
  /**
   * Cookie stuffing: the attributed click came without a referrer, inside a burst of at
   * least this many clicks without one on the affiliate's links, from at least
   * `fraudCookieStuffingVisitors` visitors, within `fraudCookieStuffingWindowSeconds`
   * centred on that click (invisible frames and images loading the link on every page
   * view of some site). Apps send no referrer either: raise it for app-heavy programs.
   */
  fraudCookieStuffingClicks: z.number().int().min(0).max(1_000_000).default(50),
  fraudCookieStuffingVisitors: z.number().int().min(1).max(1_000_000).default(20),
  fraudCookieStuffingWindowSeconds: z.number().int().min(60).max(86_400).default(600),
  /**
   * Abnormal refund rate: of the affiliate's sub-orders paid in the `fraudRefundRateDays`
   * UTC days up to the payment's (that day included), at least `fraudRefundRateMinOrders`,
   * this share or more (basis points) became Invalid by a refund in full or a cancellation.
   */
  fraudRefundRateBp: bp.default(3000),
  fraudRefundRateMinOrders: z.number().int().min(1).max(1_000_000).default(20),
  fraudRefundRateDays: days(365).min(1).default(30),
} as const;

export type SettingKey = keyof typeof settingSchemas;
export type ProgramSettings = { readonly [K in SettingKey]: z.output<(typeof settingSchemas)[K]> };

export const settingKeys = Object.keys(settingSchemas) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(settingSchemas, key);
}

/** Rules that span keys; returns a message per broken rule. */
export function crossCheck(settings: ProgramSettings): string[] {
  const problems: string[] = [];
  if (settings.sellerRateMinBp > settings.sellerRateMaxBp)
    problems.push('sellerRateMinBp is above sellerRateMaxBp');
  if (settings.categoryRateMinBp > settings.categoryRateMaxBp) {
    problems.push('categoryRateMinBp is above categoryRateMaxBp');
  }
  if (settings.withdrawalFeeMinor >= settings.minWithdrawalMinor) {
    problems.push(
      'withdrawalFeeMinor must be below minWithdrawalMinor, or a withdrawal could net nothing',
    );
  }
  return problems;
}

/** JSON for storage and output: bigints as decimal strings. */
export function settingToJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v));
}
