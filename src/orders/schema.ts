import { z } from 'zod';
import { isCurrencyCode } from '../currencies.js';

/** A marketplace's id for an order, sub-order, product or buyer. */
const externalId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/, 'must be 1–64 letters, digits or . _ : / -');
const instant = z.iso.datetime({ offset: true }).transform((text) => new Date(text));
/** Minor units: a non-negative whole JSON number, or digits in a string (past 2^53). */
const minor = z
  .union([
    z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    z.string().regex(/^\d{1,18}$/),
  ])
  .transform((value) => BigInt(value));
const currency = z
  .string()
  .transform((code) => code.toUpperCase())
  .refine(isCurrencyCode, 'not an ISO 4217 currency code');
const shippingMethod = z.string().regex(/^[A-Z0-9_]{1,40}$/, 'an UPPER_SNAKE shipping method');

export const MAX_SUB_ORDERS = 100;
export const MAX_EVENTS_PER_BATCH = 500;

export const orderPaidData = z.object({
  order_id: externalId,
  sub_orders: z
    .array(
      z.object({
        sub_order_id: externalId,
        product_id: externalId,
        quantity: z.number().int().min(1).max(1_000_000),
        unit_price_minor: minor,
        currency,
      }),
    )
    .min(1)
    .max(MAX_SUB_ORDERS),
  buyer_id: externalId,
  is_new_buyer: z.boolean().default(false),
  ship_to_country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'a two-letter country code')
    .optional(),
  shipping_method: shippingMethod.optional(),
  // A NUL is no click id, and PostgreSQL cannot look one up (the query failed: a 500).
  click_id: z
    .string()
    .max(64)
    .refine((id) => !id.includes('\u0000'), 'a click id has no NUL character')
    .nullish(),
  paid_at: instant,
});

export const orderShippedData = z.object({
  order_id: externalId,
  sub_order_ids: z.array(externalId).max(MAX_SUB_ORDERS).optional(),
  shipping_method: shippingMethod,
  shipped_at: instant,
});

export const orderReceiptConfirmedData = z.object({
  order_id: externalId,
  confirmed_at: instant,
});

export const orderDisputeOpenedData = z.object({
  order_id: externalId,
  dispute_id: externalId.optional(),
  opened_at: instant,
});

export const orderDisputeClosedData = z.object({
  order_id: externalId,
  dispute_id: externalId.optional(),
  closed_at: instant,
  refund: z.object({ sub_order_id: externalId, amount_minor: minor }).nullish(),
});

export const orderRefundedData = z.object({
  order_id: externalId,
  sub_order_id: externalId,
  amount_minor: minor.refine((amount) => amount > 0n, 'a refund is above zero'),
  reason: z.string().max(500).optional(),
  refunded_at: instant.optional(),
});

export const orderCancelledData = z.object({
  order_id: externalId,
  cancelled_at: instant.optional(),
  reason: z.string().max(500).optional(),
});

export const eventDataSchemas = {
  'order.paid': orderPaidData,
  'order.shipped': orderShippedData,
  'order.receipt_confirmed': orderReceiptConfirmedData,
  'order.dispute_opened': orderDisputeOpenedData,
  'order.dispute_closed': orderDisputeClosedData,
  'order.refunded': orderRefundedData,
  'order.cancelled': orderCancelledData,
} as const;

export type EventType = keyof typeof eventDataSchemas;
export const eventTypes = Object.keys(eventDataSchemas) as EventType[];

/** The envelope every merchant event has; `data` is checked by type afterwards. */
export const merchantEvent = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be 1–128 letters, digits or . _ : -'),
  type: z.enum(eventTypes as [EventType, ...EventType[]]),
  created_at: instant,
  data: z.record(z.string(), z.unknown()),
});

export type MerchantEvent = z.infer<typeof merchantEvent>;
export type OrderPaid = z.infer<typeof orderPaidData>;
