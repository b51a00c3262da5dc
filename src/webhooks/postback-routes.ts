import { z } from 'zod';
import { authenticate } from '../api/affiliate-auth.js';
import { errorResponses } from '../api/schemas.js';
import type { Ctx } from '../context.js';
import type { App } from '../server.js';
import {
  eventList,
  eventTypes,
  nextCursor,
  targetPage,
  targetStatus,
  urlText,
} from './api-schemas.js';
import { createPostback } from './create-postback.js';
import { listPostbacks } from './list-postbacks.js';
import type { Postback } from './schema.js';
import { targetRoutes } from './target-routes.js';

const postback = z
  .object({
    id: z.string(),
    url_template: z.string(),
    tracking_id: z.string().nullable().describe('null: every tracking id'),
    events: eventTypes,
    status: targetStatus,
    consecutive_failures: z.number().int(),
    created_at: z.string(),
    disabled_at: z.string().nullable(),
    disabled_reason: z.string().nullable(),
  })
  .meta({ id: 'Postback' });
const tags = ['webhooks'];

function present(p: Postback): z.infer<typeof postback> {
  return {
    id: p.id,
    url_template: p.urlTemplate,
    tracking_id: p.trackingId,
    events: p.events,
    status: p.status,
    consecutive_failures: p.consecutiveFailures,
    created_at: p.createdAt,
    disabled_at: p.disabledAt,
    disabled_reason: p.disabledReason,
  };
}

/** Postbacks: a GET to the affiliate's tracker for each conversion event. */
export function postbackRoutes(app: App, ctx: Ctx): void {
  // POST /api/v1/postbacks — send order events to a URL template
  app.post(
    '/api/v1/postbacks',
    {
      schema: {
        summary: 'Subscribe a URL template to order events',
        description:
          'Each event GETs the template with `{click_id}`, `{sub1}`…`{sub5}`, `{order_id}`, `{commission}`, `{currency}`, `{status}` URL-encoded. See docs/webhooks.md.',
        tags,
        body: z
          .object({
            url_template: urlText,
            events: eventList,
            tracking_id: z.string().max(64).optional(),
          })
          .strict(),
        response: { 201: postback, ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const affiliateId = await authenticate(ctx, request, 'webhooks:write');
      const { url_template, events, tracking_id } = request.body;
      const made = await createPostback(ctx, affiliateId, {
        urlTemplate: url_template,
        events,
        trackingId: tracking_id,
      });
      return reply.code(201).send(present(made));
    },
  );

  // GET /api/v1/postbacks — the affiliate's postbacks, newest first
  app.get(
    '/api/v1/postbacks',
    {
      schema: {
        summary: 'List postbacks, newest first (deleted and disabled ones too)',
        tags,
        querystring: targetPage,
        response: {
          200: z.object({ postbacks: z.array(postback), next_cursor: z.string().nullable() }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const affiliateId = await authenticate(ctx, request, 'webhooks:read');
      const { before, limit } = request.query;
      const list = await listPostbacks(ctx.db, affiliateId, { beforeId: before, limit });
      return { postbacks: list.map(present), next_cursor: nextCursor(list, limit) };
    },
  );

  targetRoutes(app, ctx, 'postback');
}
