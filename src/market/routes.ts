import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.js';
import { isAppError } from '../errors.js';
import type { WebOptions } from '../web/plugin.js';
import { installBuyerCookie } from './buyer.js';
import { catalogPages } from './catalog-pages.js';
import { itemPages } from './item-page.js';
import type { MerchantClient } from './merchant-client.js';
import { orderPages } from './order-pages.js';
import { pictureRoute } from './picture-route.js';
import { sendProblem } from './views.js';

/**
 * The demo market at /market, registered by `buildApp` in demo mode inside a web scope
 * (cookies, form bodies, the CSRF check of every POST, security headers): a shop whose
 * Buy button reports the order to affnet as a marketplace does, with signed events.
 */
export async function marketRoutes(
  web: FastifyInstance,
  ctx: Ctx,
  options: WebOptions & { merchant: MerchantClient },
): Promise<void> {
  await web.register(
    async (market) => {
      installBuyerCookie(market, options);
      catalogPages(market, ctx);
      itemPages(market, ctx, options.merchant);
      orderPages(market, ctx, options.merchant);
      pictureRoute(market, ctx);
      market.setNotFoundHandler((_request, reply) =>
        sendProblem(reply, 404, 'Not found', 'The market has no page at this address.'),
      );
      market.setErrorHandler((error: Error, request, reply) => {
        if (isAppError(error) && error.status < 500)
          return sendProblem(reply, error.status, 'That did not work', error.message);
        const status = (error as { statusCode?: number }).statusCode;
        if (status !== undefined && status >= 400 && status < 500)
          return sendProblem(reply, status, 'That request could not be read', error.message);
        request.log.error({ err: error }, 'unhandled error in the demo market');
        return sendProblem(
          reply,
          500,
          'Something went wrong on our side',
          'It has been logged. Try again in a moment.',
        );
      });
    },
    { prefix: '/market' },
  );
}
