import { z } from 'zod';

/** The cookie the redirect (`/c/:code`, tracking/redirect.ts) sets with the click id. */
export const CLICK_COOKIE = 'affnet_click';
/** The market's own buyer id: a random id the browser keeps, nothing else. */
export const BUYER_COOKIE = 'market_buyer';
export const BUYER_COOKIE_SECONDS = 365 * 86_400;
/** More than anyone buys of one thing in a demo; keeps every total far inside bigint and JSON. */
export const MAX_QUANTITY = 99;
/** What a product without shipping methods of its own is sent by (settings: `seller` class). */
export const DEFAULT_SHIPPING_METHOD = 'SELLER_SHIPPING';

export const BUYER_ID = /^mb-[0-9a-f]{24}$/;
/** A click id as the redirect makes them (a ULID); anything else is ignored, not refused. */
export const CLICK_ID = /^[0-9a-z]{26}$/;
const PRODUCT_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
export const ORDER_ID = /^mkt-[0-9a-z]{26}$/;

export const buyForm = z.object({
  product_id: z.string().regex(PRODUCT_ID, 'not a product of this market'),
  quantity: z
    .string()
    .trim()
    .regex(/^\d{1,6}$/, `a whole number from 1 to ${MAX_QUANTITY}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_QUANTITY, `a whole number from 1 to ${MAX_QUANTITY}`),
  shipping_method: z.string().min(1, 'choose how it is shipped').max(40),
  click_id: z.string().max(64).optional(),
  key: z.uuid('this form has expired: reload the page'),
});
export type BuyForm = z.output<typeof buyForm>;

export const orderActions = ['confirm', 'dispute', 'close-dispute', 'refund'] as const;
export type OrderAction = (typeof orderActions)[number];

export const actionForm = z.object({
  step: z
    .string()
    .regex(/^\d{1,4}$/, 'this form has expired: reload the page')
    .transform(Number),
});
