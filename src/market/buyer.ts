import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { cookieOptions, type WebOptions } from '../web/plugin.js';
import { BUYER_COOKIE, BUYER_COOKIE_SECONDS, BUYER_ID } from './schema.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The market's buyer id: the `market_buyer` cookie's, or a new one set on this answer. */
    marketBuyer: string;
  }
}

/**
 * Every market page knows its buyer by a random id in a cookie (HttpOnly, SameSite=Lax),
 * made on the first visit; the pictures neither need nor set it, so they stay cacheable.
 */
export function installBuyerCookie(market: FastifyInstance, options: WebOptions): void {
  market.decorateRequest('marketBuyer', '');
  market.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/market/img/')) return;
    const known = request.cookies[BUYER_COOKIE];
    if (known && BUYER_ID.test(known)) {
      request.marketBuyer = known;
      return;
    }
    request.marketBuyer = `mb-${randomBytes(12).toString('hex')}`;
    reply.setCookie(BUYER_COOKIE, request.marketBuyer, {
      ...cookieOptions(options, BUYER_COOKIE_SECONDS),
      path: '/market',
    });
  });
}
