import { Readable } from 'node:stream';
import { z } from 'zod';
import { authenticate } from '../api/affiliate-auth.js';
import { errorResponses } from '../api/schemas.js';
import type { Ctx } from '../context.js';
import type { App } from '../server.js';
import { exportClicksCsv } from './export-clicks-csv.js';
import { exportOrdersCsv } from './export-orders-csv.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day, YYYY-MM-DD');
const csv = z.string().describe('CSV (RFC 4180, CRLF line ends, UTF-8), a header row first');
const tags = ['reports'];
const CONTENT_TYPE = 'text/csv; charset=utf-8';
const attachment = (filename: string) => `attachment; filename="${filename}"`;

/** CSV exports of an affiliate's orders and click statistics. */
export function exportRoutes(app: App, ctx: Ctx): void {
  // GET /api/v1/reports/orders.csv — sub-orders paid between two days, streamed
  app.get(
    '/api/v1/reports/orders.csv',
    {
      schema: {
        summary:
          'Sub-orders paid between two UTC days (at most 366) as CSV: status, estimated, settled, clawed-back and final commission in minor units',
        tags,
        querystring: z.object({ from: day, to: day }),
        response: { 200: csv, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const affiliateId = await authenticate(ctx, request, 'reports:read');
      const file = await exportOrdersCsv(ctx, { affiliateId, ...request.query });
      return (
        reply
          .type(CONTENT_TYPE)
          .header('content-disposition', attachment(file.filename))
          // A stream goes out as it is, past the serializer; the schema documents what it holds.
          .send(Readable.from(file.chunks) as unknown as string)
      );
    },
  );

  // GET /api/v1/reports/clicks.csv — click statistics between two days
  app.get(
    '/api/v1/reports/clicks.csv',
    {
      schema: {
        summary:
          'Click statistics between two days (at most 366) as CSV, by day, tracking id, sub1 or country',
        tags,
        querystring: z.object({
          from: day,
          to: day,
          by: z.enum(['day', 'tracking_id', 'sub1', 'country']).default('day'),
        }),
        response: { 200: csv, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const affiliateId = await authenticate(ctx, request, 'reports:read');
      const file = await exportClicksCsv(ctx.db, { affiliateId, ...request.query });
      return reply
        .type(CONTENT_TYPE)
        .header('content-disposition', attachment(file.filename))
        .send(file.text);
    },
  );
}
