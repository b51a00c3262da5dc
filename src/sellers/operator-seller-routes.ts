import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticateOperator } from '../api/operator-auth.js';
import { errorResponses } from '../api/schemas.js';
import { createSeller, createStore } from '../catalog/create-store.js';
import { externalId } from '../catalog/schema.js';
import type { Ctx } from '../context.js';
import type { App } from '../server.js';
import { inviteSeller } from './invite-seller.js';
import { getSeller } from './seller-access.js';
import { issueSellerApiKey } from './seller-api-keys.js';

const PREFIX = '/api/operator/v1/sellers';
const tags = ['operator'];

/**
 * The operator's seller routes: a seller and its stores (the catalog import makes them too),
 * and the seller's way in: a seller-center invitation, or a seller API key.
 */
export function operatorSellerRoutes(parent: App, ctx: Ctx, baseUrl: string): void {
  parent.register(async (scope) => {
    const app = scope.withTypeProvider<ZodTypeProvider>();
    // As in operator-routes.ts: the token first, so that without one nothing else is told.
    app.addHook('onRequest', async (request) => {
      await authenticateOperator(ctx, request);
    });

    // POST /api/operator/v1/sellers — a seller: the company behind one or more stores
    app.post(
      PREFIX,
      {
        schema: {
          summary: 'Create a seller (then its stores, then invite it)',
          tags,
          body: z
            .object({
              id: externalId.optional(),
              name: z.string().trim().min(1).max(200),
              email: z.email().optional(),
            })
            .strict(),
          response: { 201: z.object({ id: z.string() }), ...errorResponses(400, 401, 409) },
        },
      },
      async (request, reply) => reply.code(201).send(await createSeller(ctx, request.body)),
    );

    // POST /api/operator/v1/sellers/:id/stores — a store of the seller (the marketplace's store id)
    app.post(
      `${PREFIX}/:id/stores`,
      {
        schema: {
          summary: "Add a store to a seller (its id is the marketplace's store id)",
          tags,
          params: z.object({ id: z.string().max(64) }),
          body: z.object({ id: externalId, name: z.string().trim().min(1).max(200) }).strict(),
          response: { 201: z.object({ id: z.string() }), ...errorResponses(400, 401, 404, 409) },
        },
      },
      async (request, reply) => {
        await getSeller(ctx.db, request.params.id);
        const store = await createStore(ctx, { ...request.body, sellerId: request.params.id });
        return reply.code(201).send(store);
      },
    );

    // POST /api/operator/v1/sellers/:id/invite — a seller-center login; the link is shown once
    app.post(
      `${PREFIX}/:id/invite`,
      {
        schema: {
          summary: 'Invite a seller to the seller center (the link is shown once, and emailed)',
          tags,
          params: z.object({ id: z.string().max(64) }),
          body: z.object({ email: z.string().max(254).optional() }).strict(),
          response: {
            201: z.object({
              sellerId: z.string(),
              email: z.string(),
              url: z.string(),
              expiresAt: z.string(),
            }),
            ...errorResponses(400, 401, 404),
          },
        },
      },
      async (request, reply) => {
        const invite = await inviteSeller(ctx, {
          sellerId: request.params.id,
          email: request.body.email,
          baseUrl,
        });
        const { sellerId, email, url, expiresAt } = invite;
        return reply.code(201).send({ sellerId, email, url, expiresAt });
      },
    );

    // POST /api/operator/v1/sellers/:id/api-keys — a seller API key, shown once
    app.post(
      `${PREFIX}/:id/api-keys`,
      {
        schema: {
          summary: 'Issue a seller API key (shown once; only its hash is kept)',
          tags,
          params: z.object({ id: z.string().max(64) }),
          response: {
            201: z.object({ id: z.string(), key: z.string() }),
            ...errorResponses(401, 404),
          },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await issueSellerApiKey(ctx, request.params.id)),
    );
  });
}
