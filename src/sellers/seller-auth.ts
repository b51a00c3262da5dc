import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { findSellerApiKey } from './seller-api-keys.js';

const BEARER = /^Bearer ([A-Za-z0-9_-]{1,100})$/;

/**
 * The seller an `/api/seller/v1` request acts for: `Authorization: Bearer slk_…`. Every
 * seller route reads the seller from here, never from the request, so one seller's key
 * cannot reach another's stores; an affiliate's key (`afk_…`) is not a seller key.
 */
export async function authenticateSeller(
  ctx: Pick<Ctx, 'db'>,
  request: FastifyRequest,
): Promise<string> {
  const match = BEARER.exec(request.headers.authorization ?? '');
  const sellerId = match ? await findSellerApiKey(ctx.db, match[1] as string) : undefined;
  if (!sellerId)
    throw new AppError('unauthorized', 'send a valid seller API key: Authorization: Bearer slk_…');
  return sellerId;
}
