import { z } from 'zod';
import { listTrackingIds } from '../affiliates/tracking-ids.js';
import { authenticate } from '../api/affiliate-auth.js';
import { errorResponses, minorUnits as minor } from '../api/schemas.js';
import type { Ctx } from '../context.js';
import type { SubOrderStatus } from '../db/types.js';
import { AppError } from '../errors.js';
import { decodeCursor, encodeCursor } from '../lib/cursor.js';
import { bigintToJson } from '../lib/json.js';
import type { App } from '../server.js';
import {
  type AffiliateSubOrder,
  affiliateSubOrdersNewestFirst,
  MAX_SUB_ORDER_PAGE,
  type SubOrderPosition,
} from './affiliate-sub-orders.js';
import { showOrder } from './show-order.js';

const statuses = [
  'payment_completed',
  'buyer_confirmed_receipt',
  'completed_settlement',
  'invalid',
] as const satisfies readonly SubOrderStatus[];
const subOrder = z
  .object({
    order_id: z.string(),
    sub_order_id: z.string(),
    status: z.enum(statuses),
    tracking_id: z.string().nullable(),
    product_id: z.string(),
    quantity: z.number().int(),
    paid: minor,
    currency: z.string(),
    rate_bp: z.number().int(),
    commission: minor,
    settled: minor.nullable(),
    settlement_currency: z.string(),
    paid_at: z.string(),
    confirmed_at: z.string().nullable(),
    settled_at: z.string().nullable(),
    held: z
      .boolean()
      .meta({ description: "Held for the program's fraud review: the commission stays estimated" }),
    hold_reason: z.string().nullable(),
  })
  .meta({ id: 'AffiliateSubOrder' });
const isPosition = (v: unknown): v is SubOrderPosition =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as SubOrderPosition).paidAt === 'string' &&
  typeof (v as SubOrderPosition).subOrderId === 'string';
const tags = ['orders'];

/** The affiliate's orders: a sub-order per row, newest first, and one order with every explanation. */
export function affiliateOrderRoutes(app: App, ctx: Ctx): void {
  // GET /api/v1/orders — the affiliate's sub-orders, newest first
  app.get(
    '/api/v1/orders',
    {
      schema: {
        summary: 'List orders (one row per sub-order), newest first',
        tags,
        querystring: z.object({
          status: z.enum(statuses).optional(),
          cursor: z.string().max(512).optional(),
          limit: z.coerce.number().int().min(1).max(MAX_SUB_ORDER_PAGE).default(50),
        }),
        response: {
          200: z.object({ orders: z.array(subOrder), next_cursor: z.string().nullable() }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const affiliateId = await authenticate(ctx, request, 'orders:read');
      const { status, cursor, limit } = request.query;
      const rows = await affiliateSubOrdersNewestFirst(ctx.db, affiliateId, {
        status,
        before: cursor ? decodeCursor(cursor, isPosition) : undefined,
        limit,
      });
      const names = new Map(
        (await listTrackingIds(ctx.db, affiliateId)).map((t) => [t.id, t.name]),
      );
      const last = rows.at(-1);
      return {
        orders: rows.map((s) => present(s, names)),
        next_cursor:
          rows.length === limit && last
            ? encodeCursor({ paidAt: last.paidAt, subOrderId: last.subOrderId })
            : null,
      };
    },
  );

  // GET /api/v1/orders/:id — one order: each sub-order's state, commission and explanation
  app.get(
    '/api/v1/orders/:id',
    {
      schema: {
        summary: 'One order, with the explanation of each state and each cent',
        tags,
        params: z.object({ id: z.string().max(128) }),
        response: { 200: z.unknown(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const affiliateId = await authenticate(ctx, request, 'orders:read');
      const order = await showOrder(ctx.db, request.params.id);
      // Another affiliate's order does not exist, as far as this caller can tell.
      if (order.affiliate_id !== affiliateId)
        throw new AppError('order_not_found', `no order ${request.params.id}`);
      const names = new Map(
        (await listTrackingIds(ctx.db, affiliateId)).map((t) => [t.id, t.name]),
      );
      const {
        buyer_id: _buyer,
        affiliate_id: _affiliate,
        ...visible
      } = {
        ...order,
        tracking_id: order.tracking_id ? (names.get(order.tracking_id) ?? null) : null,
      };
      return JSON.parse(
        JSON.stringify(visible, (_k, v) => (typeof v === 'bigint' ? bigintToJson(v) : v)),
      );
    },
  );
}

function present(
  s: AffiliateSubOrder,
  names: ReadonlyMap<string, string>,
): z.infer<typeof subOrder> {
  return {
    order_id: s.orderId,
    sub_order_id: s.subOrderId,
    status: s.status,
    tracking_id: s.trackingId ? (names.get(s.trackingId) ?? null) : null,
    product_id: s.productId,
    quantity: Number(s.quantity),
    paid: bigintToJson(s.paidMinor),
    currency: s.currency,
    rate_bp: Number(s.rateBp),
    commission: bigintToJson(s.commissionMinor),
    settled: s.settledMinor === null ? null : bigintToJson(s.settledMinor),
    settlement_currency: s.settlementCurrency,
    paid_at: s.paidAt,
    confirmed_at: s.confirmedAt,
    settled_at: s.settledAt,
    held: s.holdReason !== null,
    hold_reason: s.holdReason,
  };
}
