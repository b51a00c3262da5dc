import { z } from 'zod';
import { authenticate } from '../api/affiliate-auth.js';
import { errorResponses } from '../api/schemas.js';
import type { Ctx } from '../context.js';
import type { App } from '../server.js';
import { clickStats } from '../tracking/click-stats.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day, YYYY-MM-DD');

/** Reports read from rollups, never from raw clicks or orders. */
export function reportRoutes(app: App, ctx: Ctx): void {
  // GET /api/v1/reports/clicks — clicks by day, tracking id, sub1 or country
  app.get(
    '/api/v1/reports/clicks',
    {
      schema: {
        summary:
          'Click statistics between two days (at most 366), by day, tracking id, sub1 or country',
        tags: ['reports'],
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
}
