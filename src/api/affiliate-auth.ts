import type { FastifyRequest } from 'fastify';
import { type ApiScope, findApiKey } from '../affiliates/api-keys.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';

const BEARER = /^Bearer ([A-Za-z0-9_-]{1,100})$/;

/**
 * The affiliate an `/api/v1` request acts for: `Authorization: Bearer <key>` with a key
 * that grants `scope`. Every route reads the affiliate from here, never from the request,
 * so one affiliate's key cannot reach another's data.
 */
export async function authenticate(
  ctx: Pick<Ctx, 'db'>,
  request: FastifyRequest,
  scope: ApiScope,
): Promise<string> {
  const match = BEARER.exec(request.headers.authorization ?? '');
  const holder = match ? await findApiKey(ctx.db, match[1] as string) : undefined;
  if (!holder)
    throw new AppError('unauthorized', 'send a valid API key: Authorization: Bearer <key>');
  if (!holder.scopes.has(scope))
    throw new AppError('insufficient_scope', `this API key lacks the ${scope} scope`);
  return holder.affiliateId;
}
