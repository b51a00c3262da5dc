import type { FastifyInstance } from 'fastify';
import { productSummaries } from '../catalog/products-by-ids.js';
import type { Ctx } from '../context.js';
import { productPicture } from './product-picture.js';

const WEEK_SECONDS = 7 * 86_400;

/** GET /market/img/:productId.svg — the product's picture, drawn from its id, category and title. */
export function pictureRoute(market: FastifyInstance, ctx: Ctx): void {
  market.get<{ Params: { '*': string } }>('/img/*', async (request, reply) => {
    const file = request.params['*'];
    const productId = file.endsWith('.svg') ? file.slice(0, -'.svg'.length) : '';
    const product = productId
      ? (await productSummaries(ctx, [productId])).get(productId)
      : undefined;
    if (!product) return reply.code(404).type('text/plain; charset=utf-8').send('no such product');
    // Private: the first answer to a new visitor also carries the CSRF cookie.
    reply.header('cache-control', `private, max-age=${WEEK_SECONDS}`);
    return reply.type('image/svg+xml').send(productPicture(product));
  });
}
