import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WebSession } from '../auth/sessions.js';

export type AffiliateSession = WebSession & { affiliateId: string };

/**
 * The affiliate a page acts for, always from the session, never from the request; a
 * visitor without one is sent to log in and brought back afterwards.
 */
export function affiliateOf(
  request: FastifyRequest,
  reply: FastifyReply,
): AffiliateSession | undefined {
  const session = request.webSession;
  if (session?.role === 'affiliate' && session.affiliateId) return session as AffiliateSession;
  void reply.code(303).header('location', loginUrl(request)).send();
  return undefined;
}

export type SellerSession = WebSession & { sellerId: string };

/** The seller a seller-center page acts for, from the session; anyone else is sent to log in. */
export function sellerOf(request: FastifyRequest, reply: FastifyReply): SellerSession | undefined {
  const session = request.webSession;
  if (session?.role === 'seller' && session.sellerId) return session as SellerSession;
  void reply.code(303).header('location', loginUrl(request)).send();
  return undefined;
}

/** The operator a console page acts for; anyone else is sent to log in. */
export function operatorOf(request: FastifyRequest, reply: FastifyReply): WebSession | undefined {
  const session = request.webSession;
  if (session?.role === 'operator') return session;
  void reply.code(303).header('location', loginUrl(request)).send();
  return undefined;
}

function loginUrl(request: FastifyRequest): string {
  const path = request.url.slice(0, 500);
  return `/login?next=${encodeURIComponent(path)}`;
}

/** A path on this site to return to after log-in; anything else goes to the start. */
export function safeNext(next: string | undefined): string | undefined {
  return next && /^\/[A-Za-z0-9/_?=&%.-]*$/.test(next) && !next.startsWith('//') ? next : undefined;
}
