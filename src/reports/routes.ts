import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { authenticate } from '../api/affiliate-auth.js';
import { errorResponses, minorUnits as minor } from '../api/schemas.js';
import type { Ctx } from '../context.js';
import { bigintToJson } from '../lib/json.js';
import type { App } from '../server.js';
import { clickStats } from '../tracking/click-stats.js';
import { breakdown, MAX_BREAKDOWN_ROWS } from './breakdown.js';
import { dailySeries } from './daily-series.js';
import { exportRoutes } from './export-routes.js';
import { getDashboard, type PeriodTotals } from './get-dashboard.js';
import type { ReportTotals } from './schema.js';
import { MAX_TOP_PRODUCTS, topProducts } from './top-products.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day, YYYY-MM-DD');
const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'an ISO 4217 code')
  .optional()
  .describe('the currency of the amounts; by default the settlement currency in force today');
const tags = ['reports'];

const counts = {
  clicks: z.number().int(),
  unique_clicks: z.number().int(),
  leads: z.number().int(),
  approved_leads: z.number().int(),
  invalid_leads: z.number().int(),
  estimated: minor,
  settled: minor,
  clawed_back: minor,
};
const period = z
  .object({ from: day, to: day, ...counts })
  .meta({ id: 'ReportPeriod', description: 'Orders count on the UTC day they were paid' });

function present(t: ReportTotals) {
  return {
    clicks: Number(t.clicks),
    unique_clicks: Number(t.uniqueClicks),
    leads: Number(t.leads),
    approved_leads: Number(t.approvedLeads),
    invalid_leads: Number(t.invalidLeads),
    estimated: bigintToJson(t.estimatedMinor),
    settled: bigintToJson(t.settledMinor),
    clawed_back: bigintToJson(t.clawedBackMinor),
  };
}
const presentPeriod = (p: PeriodTotals) => ({ from: p.from, to: p.to, ...present(p) });

/** `Server-Timing: app;dur=<ms>`: the time from the request's arrival to its answer. */
export async function serverTiming(
  _request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  reply.header('server-timing', `app;dur=${reply.elapsedTime.toFixed(2)}`);
  return payload;
}

/** Reports read from rollups, never from raw clicks or orders. */
export function reportRoutes(app: App, ctx: Ctx): void {
  // GET /api/v1/reports/clicks — clicks by day, tracking id, sub1 or country
  app.get(
    '/api/v1/reports/clicks',
    {
      schema: {
        summary:
          'Click statistics between two days (at most 366), by day, tracking id, sub1 or country',
        tags,
        querystring: z.object({
          from: day,
          to: day,
          by: z.enum(['day', 'tracking_id', 'sub1', 'country']).default('day'),
        }),
        response: {
          200: z.object({
            rows: z.array(
              z.object({
                key: z.string(),
                clicks: z.number().int(),
                unique_clicks: z.number().int(),
                bot_clicks: z.number().int(),
              }),
            ),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const affiliateId = await authenticate(ctx, request, 'reports:read');
      const rows = await clickStats(ctx.db, { affiliateId, ...request.query });
      return {
        rows: rows.map((r) => ({
          key: r.key,
          clicks: Number(r.clicks),
          unique_clicks: Number(r.uniqueClicks),
          bot_clicks: Number(r.botClicks),
        })),
      };
    },
  );

  // GET /api/v1/reports/dashboard — today, this month and last month
  app.get(
    '/api/v1/reports/dashboard',
    {
      onSend: serverTiming,
      schema: {
        summary:
          'Clicks, leads, approved and invalid leads, estimated, settled and clawed-back commission: today, this month so far, last month (UTC)',
        tags,
        querystring: z.object({ currency }),
        response: {
          200: z.object({
            currency: z.string(),
            other_currencies: z.array(z.string()),
            today: period,
            this_month: period,
            last_month: period,
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const affiliateId = await authenticate(ctx, request, 'reports:read');
      const d = await getDashboard(ctx, { affiliateId, currency: request.query.currency });
      return {
        currency: d.currency,
        other_currencies: d.otherCurrencies,
        today: presentPeriod(d.today),
        this_month: presentPeriod(d.thisMonth),
        last_month: presentPeriod(d.lastMonth),
      };
    },
  );

  // GET /api/v1/reports/daily — one row per day over the last 30 or 90 days
  app.get(
    '/api/v1/reports/daily',
    {
      onSend: serverTiming,
      schema: {
        summary: 'Clicks and orders per UTC day over the last 30 or 90 days, every day present',
        tags,
        querystring: z.object({
          days: z.enum(['30', '90']).default('30'),
          currency,
        }),
        response: {
          200: z.object({
            currency: z.string(),
            from: day,
            to: day,
            days: z.array(z.object({ day, ...counts })),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const affiliateId = await authenticate(ctx, request, 'reports:read');
      const series = await dailySeries(ctx, {
        affiliateId,
        days: request.query.days === '90' ? 90 : 30,
        currency: request.query.currency,
      });
      return {
        currency: series.currency,
        from: series.from,
        to: series.to,
        days: series.days.map((d) => ({ day: d.day, ...present(d) })),
      };
    },
  );

  // GET /api/v1/reports/top-products — the products with the most estimated commission
  app.get(
    '/api/v1/reports/top-products',
    {
      onSend: serverTiming,
      schema: {
        summary:
          'Products by estimated commission of the leads paid in a period (this month by default) or between two days',
        tags,
        querystring: z.object({
          period: z.enum(['today', 'this_month', 'last_month']).optional(),
          from: day.optional(),
          to: day.optional(),
          limit: z.coerce.number().int().min(1).max(MAX_TOP_PRODUCTS).default(10),
          currency,
        }),
        response: {
          200: z.object({
            currency: z.string(),
            from: day,
            to: day,
            products: z.array(
              z.object({
                product_id: z.string(),
                title: z.string().nullable(),
                leads: z.number().int(),
                estimated: minor,
              }),
            ),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const affiliateId = await authenticate(ctx, request, 'reports:read');
      const top = await topProducts(ctx, { affiliateId, ...request.query });
      return {
        currency: top.currency,
        from: top.from,
        to: top.to,
        products: top.products.map((p) => ({
          product_id: p.productId,
          title: p.title,
          leads: Number(p.leads),
          estimated: bigintToJson(p.estimatedMinor),
        })),
      };
    },
  );

  // GET /api/v1/reports/breakdown — clicks and orders by tracking id or by sub1
  app.get(
    '/api/v1/reports/breakdown',
    {
      onSend: serverTiming,
      schema: {
        summary:
          'Clicks and orders side by side by tracking id or by sub1, this month so far or between two days',
        tags,
        querystring: z.object({
          by: z.enum(['tracking_id', 'sub1']),
          from: day.optional(),
          to: day.optional(),
          limit: z.coerce.number().int().min(1).max(MAX_BREAKDOWN_ROWS).default(100),
          currency,
        }),
        response: {
          200: z.object({
            currency: z.string(),
            from: day,
            to: day,
            rows: z.array(z.object({ key: z.string(), ...counts })),
            total: z.number().int(),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const affiliateId = await authenticate(ctx, request, 'reports:read');
      const b = await breakdown(ctx, { affiliateId, ...request.query });
      return {
        currency: b.currency,
        from: b.from,
        to: b.to,
        rows: b.rows.map((r) => ({ key: r.key, ...present(r) })),
        total: b.total,
      };
    },
  );

  exportRoutes(app, ctx);
}
