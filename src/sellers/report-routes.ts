import { Readable } from 'node:stream';
import { z } from 'zod';
import { errorResponses, minorUnits as minor } from '../api/schemas.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { bigintToJson } from '../lib/json.js';
import type { App } from '../server.js';
import { authenticateSeller } from './seller-auth.js';
import {
  MAX_SELLER_ORDERS_PAGE,
  type SellerReportFilter,
  type SellerReportRow,
  sellerOrders,
  sellerReport,
} from './seller-reports.js';
import { sellerOrdersCsv, sellerReportCsv } from './seller-reports-csv.js';
import { MAX_STATEMENT_PAGE, sellerStatement } from './seller-statement.js';
import { sellerStatementCsv } from './seller-statement-csv.js';

const tags = ['seller'];
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day, YYYY-MM-DD');
const storeId = z.string().min(1).max(64).optional().describe('one of your stores; all by default');
const range = {
  from: day.describe('first UTC day of payment'),
  to: day.describe('last UTC day of payment (included; at most 366 days after from)'),
  storeId,
};
const csv = z.string().describe('CSV (RFC 4180, CRLF line ends, UTF-8), a header row first');
const CONTENT_TYPE = 'text/csv; charset=utf-8';
const BY = { daily: 'day', products: 'product', categories: 'category' } as const;

/** The days asked for as [from, to + 1 day) in UTC; an impossible day is a 400. */
function filterOf(query: { from: string; to: string; storeId?: string | undefined }) {
  const from = new Date(`${query.from}T00:00:00.000Z`);
  const last = new Date(`${query.to}T00:00:00.000Z`);
  if (
    Number.isNaN(from.getTime()) ||
    Number.isNaN(last.getTime()) ||
    from.toISOString().slice(0, 10) !== query.from ||
    last.toISOString().slice(0, 10) !== query.to
  )
    throw new AppError('invalid_request', 'from and to must be real days, YYYY-MM-DD');
  if (last < from) throw new AppError('invalid_request', 'from must not be after to');
  const filter: SellerReportFilter = { from, to: new Date(last.getTime() + 86_400_000) };
  if (query.storeId !== undefined) filter.storeId = query.storeId;
  return filter;
}

const reportRow = z.object({
  key: z.string(),
  label: z.string(),
  orders: z.number().int(),
  sub_orders: z.number().int(),
  sales: minor,
  commission_estimated: minor,
  commission_settled: minor,
  commission_invalid: minor,
  currency: z.string(),
});
const presentRow = (r: SellerReportRow) => ({
  key: r.key,
  label: r.label,
  orders: r.orders,
  sub_orders: r.subOrders,
  sales: bigintToJson(r.salesMinor),
  commission_estimated: bigintToJson(r.estimatedMinor),
  commission_settled: bigintToJson(r.settledMinor),
  commission_invalid: bigintToJson(r.invalidMinor),
  currency: r.currency,
});

/** The seller's reports, order list and statement: `/api/seller/v1`, the seller from its key. */
export function sellerReportRoutes(parent: App, ctx: Ctx): void {
  parent.register(async (scope) => {
    // The key is checked before anything else, validation included (as the other seller
    // routes do): without one every seller route answers 401 and reveals nothing.
    scope.addHook('onRequest', async (request) => {
      await authenticateSeller(ctx, request);
    });
    reportRoutesIn(scope as unknown as App, ctx);
  });
}

function reportRoutesIn(app: App, ctx: Ctx): void {
  for (const [path, by] of Object.entries(BY)) {
    // GET /api/seller/v1/reports/{daily,products,categories} — affiliate-driven sales and commission
    app.get(
      `/api/seller/v1/reports/${path}`,
      {
        schema: {
          summary: `Your affiliate-driven orders, sales and commission (estimated, settled, invalid) per ${by}, paid between two UTC days; amounts in minor units of the settlement currency`,
          tags,
          querystring: z.object(range),
          response: {
            200: z.object({ rows: z.array(reportRow) }),
            ...errorResponses(400, 401, 404),
          },
        },
      },
      async (request) => {
        const sellerId = await authenticateSeller(ctx, request);
        const rows = await sellerReport(ctx, sellerId, by, filterOf(request.query));
        return { rows: rows.map(presentRow) };
      },
    );
    // GET /api/seller/v1/reports/{daily,products,categories}.csv — the same as CSV
    app.get(
      `/api/seller/v1/reports/${path}.csv`,
      {
        schema: {
          summary: `The ${by} report as CSV, amounts as decimals of the currency`,
          tags,
          querystring: z.object(range),
          response: { 200: csv, ...errorResponses(400, 401, 404) },
        },
      },
      async (request, reply) => {
        const sellerId = await authenticateSeller(ctx, request);
        const text = await sellerReportCsv(ctx, sellerId, by, filterOf(request.query));
        return reply
          .type(CONTENT_TYPE)
          .header('content-disposition', `attachment; filename="seller-${path}.csv"`)
          .send(text);
      },
    );
  }

  // GET /api/seller/v1/orders — affiliate-driven sub-orders, by keyset
  app.get(
    '/api/seller/v1/orders',
    {
      schema: {
        summary:
          'Your affiliate-driven sub-orders paid between two UTC days, in payment order: the rate each was locked at, sale and commission in minor units of the settlement currency',
        tags,
        querystring: z.object({
          ...range,
          after: z.string().max(512).optional().describe('the `next` of the previous page'),
          limit: z.coerce.number().int().min(1).max(MAX_SELLER_ORDERS_PAGE).default(100),
        }),
        response: {
          200: z.object({
            rows: z.array(
              z.object({
                sub_order_id: z.string(),
                order_id: z.string(),
                paid_at: z.string(),
                product_id: z.string(),
                product_title: z.string(),
                store_id: z.string(),
                status: z.string(),
                sales: minor,
                rate_bp: z.number().int(),
                commission: minor,
                commission_settled: minor.nullable(),
                currency: z.string(),
              }),
            ),
            next: z.string().nullable(),
          }),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request) => {
      const sellerId = await authenticateSeller(ctx, request);
      const { after, limit } = request.query;
      const page = await sellerOrders(ctx, sellerId, {
        ...filterOf(request.query),
        ...(after === undefined ? {} : { after }),
        limit,
      });
      return {
        rows: page.rows.map((r) => ({
          sub_order_id: r.subOrderId,
          order_id: r.orderId,
          paid_at: r.paidAt,
          product_id: r.productId,
          product_title: r.productTitle,
          store_id: r.storeId,
          status: r.status,
          sales: bigintToJson(r.salesMinor),
          rate_bp: r.rateBp,
          commission: bigintToJson(r.commissionMinor),
          commission_settled: r.settledMinor === null ? null : bigintToJson(r.settledMinor),
          currency: r.currency,
        })),
        next: page.next,
      };
    },
  );

  // GET /api/seller/v1/orders.csv — the same sub-orders as CSV, streamed
  app.get(
    '/api/seller/v1/orders.csv',
    {
      schema: {
        summary: 'Your affiliate-driven sub-orders paid between two UTC days as CSV',
        tags,
        querystring: z.object(range),
        response: { 200: csv, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const sellerId = await authenticateSeller(ctx, request);
      const chunks = await sellerOrdersCsv(ctx, sellerId, filterOf(request.query));
      return reply
        .type(CONTENT_TYPE)
        .header('content-disposition', 'attachment; filename="seller-orders.csv"')
        .send(Readable.from(chunks) as unknown as string);
    },
  );

  const currency = z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD')
    .optional()
    .describe('the payable account of this currency; by default the one you have');

  // GET /api/seller/v1/statement — releases and corrections with the running balance
  app.get(
    '/api/seller/v1/statement',
    {
      schema: {
        summary:
          'Your statement: for each settled order the sale, the commission paid to the affiliate and the amount released to you (corrections after refunds negative), with the running balance, oldest first',
        tags,
        querystring: z.object({
          currency,
          after: z.string().max(512).optional().describe('the `next` of the previous page'),
          limit: z.coerce.number().int().min(1).max(MAX_STATEMENT_PAGE).default(100),
        }),
        response: {
          200: z.object({
            currency: z.string(),
            balance: minor,
            lines: z.array(
              z.object({
                at: z.string(),
                transfer_id: z.string(),
                kind: z.enum(['release', 'correction']),
                order_id: z.string(),
                sub_order_id: z.string(),
                product_id: z.string(),
                sale: minor,
                commission: minor,
                amount: minor,
                balance: minor,
              }),
            ),
            next: z.string().nullable(),
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const sellerId = await authenticateSeller(ctx, request);
      const { after, limit } = request.query;
      const s = await sellerStatement(ctx, sellerId, {
        ...(request.query.currency === undefined ? {} : { currency: request.query.currency }),
        ...(after === undefined ? {} : { after }),
        limit,
      });
      return {
        currency: s.currency,
        balance: bigintToJson(s.balanceMinor),
        lines: s.lines.map((l) => ({
          at: l.at,
          transfer_id: l.transferId,
          kind: l.kind,
          order_id: l.orderId,
          sub_order_id: l.subOrderId,
          product_id: l.productId,
          sale: bigintToJson(l.saleMinor),
          commission: bigintToJson(l.commissionMinor),
          amount: bigintToJson(l.amountMinor),
          balance: bigintToJson(l.balanceMinor),
        })),
        next: s.next,
      };
    },
  );

  // GET /api/seller/v1/statement.csv — the whole statement as CSV, streamed
  app.get(
    '/api/seller/v1/statement.csv',
    {
      schema: {
        summary: 'Your statement as CSV, amounts as decimals of the currency',
        tags,
        querystring: z.object({ currency }),
        response: { 200: csv, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const sellerId = await authenticateSeller(ctx, request);
      const chunks = await sellerStatementCsv(
        ctx,
        sellerId,
        request.query.currency === undefined ? {} : { currency: request.query.currency },
      );
      return reply
        .type(CONTENT_TYPE)
        .header('content-disposition', 'attachment; filename="seller-statement.csv"')
        .send(Readable.from(chunks) as unknown as string);
    },
  );
}
