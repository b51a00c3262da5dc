import { z } from 'zod';
import { authenticate } from '../api/affiliate-auth.js';
import { errorResponses } from '../api/schemas.js';
import type { Ctx } from '../context.js';
import type { App } from '../server.js';
import { trackingIdName } from './schema.js';
import { createTrackingId, listTrackingIds } from './tracking-ids.js';

const trackingId = z
  .object({ id: z.string(), name: z.string(), created_at: z.string() })
  .meta({ id: 'TrackingId' });
const tags = ['links'];

/** Named tracking ids: one per site, channel or campaign the affiliate wants counted apart. */
export function trackingIdRoutes(app: App, ctx: Ctx): void {
  // GET /api/v1/tracking-ids — the affiliate's tracking ids
  app.get(
    '/api/v1/tracking-ids',
    {
      schema: {
        summary: 'List tracking ids',
        tags,
        response: {
          200: z.object({ tracking_ids: z.array(trackingId) }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) => {
      const affiliateId = await authenticate(ctx, request, 'links:read');
      const list = await listTrackingIds(ctx.db, affiliateId);
      return {
        tracking_ids: list.map((t) => ({ id: t.id, name: t.name, created_at: t.createdAt })),
      };
    },
  );

  // POST /api/v1/tracking-ids — add a named tracking id
  app.post(
    '/api/v1/tracking-ids',
    {
      schema: {
        summary: 'Add a tracking id',
        tags,
        body: z.object({ name: trackingIdName }).strict(),
        response: { 201: trackingId, ...errorResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const affiliateId = await authenticate(ctx, request, 'links:write');
      const t = await createTrackingId(ctx, affiliateId, request.body.name);
      return reply.code(201).send({ id: t.id, name: t.name, created_at: t.createdAt });
    },
  );
}
