import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, minorUnits } from '../api/schemas.js';
import type { Ctx } from '../context.js';
import { bigintToJson } from '../lib/json.js';
import type { App } from '../server.js';
import { SELLER_PREFIX, sellerTags } from './api-prefix.js';
import { sellerRateRoutes } from './rate-routes.js';
import { listSellerApiKeys, revokeSellerApiKey } from './seller-api-keys.js';
import { authenticateSeller } from './seller-auth.js';
import { MAX_PRODUCT_PAGE, sellerPlan, sellerProducts, sellerStores } from './seller-catalog.js';

const id = z.string().max(64);
const store = z.object({
  id: z.string(),
  name: z.string(),
  enrolled: z.boolean().meta({ description: 'The whole store is in the program now' }),
  since: z
    .string()
    .nullable()
    .meta({ description: 'When the current state began; null: never enrolled' }),
  mayChangeFrom: z
    .string()
    .nullable()
    .meta({ description: 'The first moment the store may leave (if in) or rejoin (if out)' }),
});
const product = z.object({
  productId: z.string(),
  storeId: z.string(),
  categoryId: z.string(),
  title: z.string(),
  priceMinor: minorUnits,
  currency: z.string(),
  rateBp: z.number().int().meta({ description: 'The rate an order paid now is locked at' }),
  rule: z.string().meta({ description: 'What sets the rate: product, category, store_default, …' }),
  enrolled: z.boolean(),
  scheduled: z.array(
    z.object({ scope: z.string(), rateBp: z.number().int().nullable(), effectiveFrom: z.string() }),
  ),
});
const change = {
  id: z.string(),
  scope: z.string(),
  targetId: z.string().nullable(),
  effectiveFrom: z.string(),
  scheduled: z.boolean(),
  setBy: z.enum(['seller', 'operator']),
};

/**
 * The seller API (`Authorization: Bearer slk_…`): the seller's stores, products and plans,
 * its rates and enrollment, bulk rate files, and its keys. The seller always comes from the
 * key, never from the request; another seller's store, product or key does not exist here.
 */
export function sellerRoutes(parent: App, ctx: Ctx): void {
  parent.register(async (scope) => {
    const app = scope.withTypeProvider<ZodTypeProvider>();
    // The key is checked before anything else, validation included: without one every seller
    // route answers 401 and reveals nothing of what it expects.
    const sellers = new WeakMap<object, string>();
    app.addHook('onRequest', async (request) => {
      sellers.set(request, await authenticateSeller(ctx, request));
    });
    const sellerOf = (request: object) => sellers.get(request) as string;

    // GET /api/seller/v1/stores — the seller's stores and their place in the program
    app.get(
      `${SELLER_PREFIX}/stores`,
      {
        schema: {
          summary: "The seller's stores, in or out of the program, and when that may change",
          tags: sellerTags,
          response: {
            200: z.object({
              commissionMode: z.enum(['seller_rates', 'fixed_category']),
              rateMinBp: z.number().int(),
              rateMaxBp: z.number().int(),
              minStayDays: z.number().int(),
              minAwayDays: z.number().int(),
              stores: z.array(store),
            }),
            ...errorResponses(401),
          },
        },
      },
      async (request) => {
        const { settings, stores } = await sellerStores(ctx, sellerOf(request));
        return {
          commissionMode: settings.commissionMode,
          rateMinBp: settings.sellerRateMinBp,
          rateMaxBp: settings.sellerRateMaxBp,
          minStayDays: settings.sellerMinStayDays,
          minAwayDays: settings.sellerMinAwayDays,
          stores,
        };
      },
    );

    // GET /api/seller/v1/products — the seller's products, in id order, a page at a time
    app.get(
      `${SELLER_PREFIX}/products`,
      {
        schema: {
          summary: "The seller's products with their rate now and any scheduled change",
          tags: sellerTags,
          querystring: z.object({
            storeId: id.optional(),
            q: z.string().max(100).optional(),
            after: id.optional().meta({ description: 'The last product id of the page before' }),
            limit: z.coerce.number().int().min(1).max(MAX_PRODUCT_PAGE).default(50),
          }),
          response: {
            200: z.object({ products: z.array(product), nextAfter: z.string().nullable() }),
            ...errorResponses(400, 401, 404),
          },
        },
      },
      async (request) => {
        const products = await sellerProducts(ctx, sellerOf(request), request.query);
        const last = products.at(-1);
        return {
          products: products.map((p) => ({ ...p, priceMinor: bigintToJson(p.priceMinor) })),
          nextAfter: products.length === request.query.limit && last ? last.productId : null,
        };
      },
    );

    // GET /api/seller/v1/plans — a store's rate rules and enrollment changes, scheduled ones too
    app.get(
      `${SELLER_PREFIX}/plans`,
      {
        schema: {
          summary:
            "A store's rate rules and enrollment changes, newest first, scheduled ones marked",
          tags: sellerTags,
          querystring: z.object({ storeId: id }),
          response: {
            200: z.object({
              storeId: z.string(),
              truncated: z.boolean(),
              rules: z.array(z.object({ ...change, rateBp: z.number().int().nullable() })),
              enrollments: z.array(z.object({ ...change, enrolled: z.boolean() })),
            }),
            ...errorResponses(400, 401, 404),
          },
        },
      },
      async (request) => sellerPlan(ctx, sellerOf(request), request.query.storeId),
    );

    // GET /api/seller/v1/api-keys — the seller's keys (never the keys themselves)
    app.get(
      `${SELLER_PREFIX}/api-keys`,
      {
        schema: {
          summary: "The seller's API keys, newest first",
          tags: sellerTags,
          response: {
            200: z.object({
              apiKeys: z.array(
                z.object({
                  id: z.string(),
                  createdAt: z.string(),
                  revokedAt: z.string().nullable(),
                }),
              ),
            }),
            ...errorResponses(401),
          },
        },
      },
      async (request) => ({ apiKeys: await listSellerApiKeys(ctx.db, sellerOf(request)) }),
    );

    // DELETE /api/seller/v1/api-keys/:id — revoke one of the seller's keys
    app.delete(
      `${SELLER_PREFIX}/api-keys/:id`,
      {
        schema: {
          summary: "Revoke one of the seller's API keys",
          tags: sellerTags,
          params: z.object({ id }),
          response: { 204: z.null(), ...errorResponses(401, 404) },
        },
      },
      async (request, reply) => {
        await revokeSellerApiKey(ctx, sellerOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    sellerRateRoutes(app, ctx, sellerOf);
  });
}
