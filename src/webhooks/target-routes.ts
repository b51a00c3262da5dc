import { z } from 'zod';
import { authenticate } from '../api/affiliate-auth.js';
import { errorResponses } from '../api/schemas.js';
import type { Ctx } from '../context.js';
import type { App } from '../server.js';
import {
  deliveryList,
  deliveryPage,
  idParams,
  nextCursor,
  presentDelivery,
} from './api-schemas.js';
import { deleteTarget } from './delete-target.js';
import { listDeliveries } from './list-deliveries.js';

/** The routes webhooks and postbacks share: delete one, and read its deliveries. */
export function targetRoutes(app: App, ctx: Ctx, kind: 'webhook' | 'postback'): void {
  const path = `/api/v1/${kind}s/:id`;
  const tags = ['webhooks'];

  // DELETE /api/v1/webhooks/:id, /api/v1/postbacks/:id — stop one (its deliveries stay visible)
  app.delete(
    path,
    {
      schema: {
        summary: `Delete a ${kind}`,
        description: 'It is disabled with the reason "deleted"; pending deliveries are failed.',
        tags,
        params: idParams,
        response: { 204: z.null().describe('Deleted'), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const affiliateId = await authenticate(ctx, request, 'webhooks:write');
      await deleteTarget(ctx, kind, affiliateId, request.params.id);
      return reply.code(204).send(null);
    },
  );

  // GET /api/v1/webhooks/:id/deliveries, /api/v1/postbacks/:id/deliveries — every attempt
  app.get(
    `${path}/deliveries`,
    {
      schema: {
        summary: `A ${kind}'s deliveries, newest first, with every attempt`,
        tags,
        params: idParams,
        querystring: deliveryPage,
        response: { 200: deliveryList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const affiliateId = await authenticate(ctx, request, 'webhooks:read');
      const { before, limit } = request.query;
      const list = await listDeliveries(ctx, affiliateId, kind, request.params.id, {
        beforeId: before,
        limit,
      });
      return { deliveries: list.map(presentDelivery), next_cursor: nextCursor(list, limit) };
    },
  );
}
