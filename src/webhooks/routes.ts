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
import { createWebhook } from './create-webhook.js';
import { listWebhooks } from './list-webhooks.js';
import { postbackRoutes } from './postback-routes.js';
import { rotateWebhookSecret } from './rotate-secret.js';
import type { Webhook } from './schema.js';
import { targetRoutes } from './target-routes.js';

const webhook = z
  .object({
    id: z.string(),
    url: z.string(),
    events: eventTypes,
    status: targetStatus,
    consecutive_failures: z.number().int(),
    created_at: z.string(),
    disabled_at: z.string().nullable(),
    disabled_reason: z.string().nullable(),
  })
  .meta({ id: 'Webhook' });
const created = webhook
  .extend({ secret: z.string().describe('The signing secret, shown this once') })
  .meta({ id: 'NewWebhook' });
const tags = ['webhooks'];

function present(w: Webhook): z.infer<typeof webhook> {
  return {
    id: w.id,
    url: w.url,
    events: w.events,
    status: w.status,
    consecutive_failures: w.consecutiveFailures,
    created_at: w.createdAt,
    disabled_at: w.disabledAt,
    disabled_reason: w.disabledReason,
  };
}

/** Webhooks and postbacks: affiliates subscribe to events about their money (docs/webhooks.md). */
export function webhookRoutes(app: App, ctx: Ctx): void {
  // POST /api/v1/webhooks — subscribe to events
  app.post(
    '/api/v1/webhooks',
    {
      schema: {
        summary: 'Subscribe a URL to events',
        description:
          'Events are POSTed as JSON, signed with `Affnet-Signature: t=…,v1=…` under the secret returned here, once. See docs/webhooks.md.',
        tags,
        body: z.object({ url: urlText, events: eventList }).strict(),
        response: { 201: created, ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const affiliateId = await authenticate(ctx, request, 'webhooks:write');
      const made = await createWebhook(ctx, affiliateId, request.body);
      return reply.code(201).send({ ...present(made), secret: made.secret });
    },
  );

  // GET /api/v1/webhooks — the affiliate's webhooks, newest first
  app.get(
    '/api/v1/webhooks',
    {
      schema: {
        summary: 'List webhooks, newest first (deleted and disabled ones too)',
        tags,
        querystring: targetPage,
        response: {
          200: z.object({ webhooks: z.array(webhook), next_cursor: z.string().nullable() }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const affiliateId = await authenticate(ctx, request, 'webhooks:read');
      const { before, limit } = request.query;
      const list = await listWebhooks(ctx.db, affiliateId, { beforeId: before, limit });
      return { webhooks: list.map(present), next_cursor: nextCursor(list, limit) };
    },
  );

  // POST /api/v1/webhooks/:id/secret — a new signing secret; the old one signs too for 24 h
  app.post(
    '/api/v1/webhooks/:id/secret',
    {
      schema: {
        summary: "Rotate a webhook's signing secret",
        description:
          'Returns the new secret, once. For 24 hours (until `previous_until`) every delivery is signed under both: `Affnet-Signature: t=…,v1=<new>,v1=<old>`, so the receiver can switch without losing one. See docs/webhooks.md.',
        tags,
        params: z.object({ id: z.string().min(1).max(64) }),
        response: {
          200: z.object({ id: z.string(), secret: z.string(), previous_until: z.string() }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const affiliateId = await authenticate(ctx, request, 'webhooks:write');
      const { id } = request.params;
      const rotated = await rotateWebhookSecret(ctx, affiliateId, id);
      return { id, secret: rotated.secret, previous_until: rotated.previousUntil };
    },
  );

  targetRoutes(app, ctx, 'webhook');

  postbackRoutes(app, ctx);
}
