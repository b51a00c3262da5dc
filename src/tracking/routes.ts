import { z } from 'zod';
import { trackingIdName } from '../affiliates/schema.js';
import { authenticate } from '../api/affiliate-auth.js';
import { errorResponses } from '../api/schemas.js';
import type { Ctx } from '../context.js';
import type { App } from '../server.js';
import { createLinks } from './create-links.js';
import type { LinkCallLimit } from './link-call-limit.js';
import { listLinks, MAX_LINK_PAGE } from './list-links.js';
import { linkTypes, MAX_LINKS_PER_CALL } from './schema.js';

const link = z
  .object({
    id: z.string(),
    code: z.string(),
    promotion_link: z.string(),
    url: z.string(),
    kind: z.enum(['product', 'store', 'search', 'page']),
    product_id: z.string().nullable(),
    type: z.enum(linkTypes),
    tracking_id: z.string(),
    status: z.enum(['active', 'disabled']),
  })
  .meta({ id: 'Link' });
type LinkBody = z.infer<typeof link>;
const tags = ['links'];

function present(l: Awaited<ReturnType<typeof listLinks>>[number]): LinkBody {
  return {
    id: l.id,
    code: l.code,
    promotion_link: l.promotionLink,
    url: l.url,
    kind: l.kind,
    product_id: l.productId,
    type: l.type,
    tracking_id: l.trackingId,
    status: l.status,
  };
}

/** The affiliate's tracking links: make them (up to 50 URLs a call) and list them. */
export function linkRoutes(app: App, ctx: Ctx, baseUrl: string, limit: LinkCallLimit): void {
  // POST /api/v1/links — tracking links for marketplace URLs (the same URL again: the same link)
  app.post(
    '/api/v1/links',
    {
      schema: {
        summary: 'Make tracking links',
        description: `Up to ${MAX_LINKS_PER_CALL} product, store or search URLs of the marketplace, for one tracking id (default: \`default\`). A URL already linked for that tracking id and type returns its link (created: false).`,
        tags,
        body: z
          .object({
            urls: z.array(z.string().max(2048)).min(1).max(MAX_LINKS_PER_CALL),
            tracking_id: trackingIdName.optional(),
            type: z.enum(linkTypes).optional(),
          })
          .strict(),
        response: {
          200: z.object({ links: z.array(link.extend({ created: z.boolean() })) }),
          ...errorResponses(400, 401, 403, 404, 422, 429),
        },
      },
    },
    async (request) => {
      const affiliateId = await authenticate(ctx, request, 'links:write');
      limit.take(affiliateId, ctx.clock.now());
      const { urls, tracking_id, type } = request.body;
      const made = await createLinks(
        ctx,
        {
          affiliateId,
          urls,
          ...(tracking_id ? { trackingId: tracking_id } : {}),
          ...(type ? { type } : {}),
        },
        baseUrl,
      );
      return { links: made.map((l) => ({ ...present(l), created: l.created })) };
    },
  );

  // GET /api/v1/links — the affiliate's links, newest first
  app.get(
    '/api/v1/links',
    {
      schema: {
        summary: 'List tracking links, newest first',
        tags,
        querystring: z.object({
          before: z.string().max(64).optional(),
          limit: z.coerce.number().int().min(1).max(MAX_LINK_PAGE).default(50),
        }),
        response: {
          200: z.object({ links: z.array(link), next_cursor: z.string().nullable() }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const affiliateId = await authenticate(ctx, request, 'links:read');
      const { before, limit } = request.query;
      const links = await listLinks(ctx.db, affiliateId, baseUrl, { beforeId: before, limit });
      const last = links.at(-1);
      return {
        links: links.map(present),
        next_cursor: links.length === limit && last ? last.id : null,
      };
    },
  );
}
