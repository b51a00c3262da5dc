import type { FastifyRequest } from 'fastify';
import { findOperatorToken } from '../auth/operator-tokens.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';

const BEARER = /^Bearer ([A-Za-z0-9_-]{1,100})$/;

/** The operator an `/api/operator/v1` request acts for: `Authorization: Bearer <operator token>`. */
export async function authenticateOperator(
  ctx: Pick<Ctx, 'db'>,
  request: FastifyRequest,
): Promise<string> {
  const match = BEARER.exec(request.headers.authorization ?? '');
  const operator = match ? await findOperatorToken(ctx.db, match[1] as string) : undefined;
  if (!operator)
    throw new AppError('unauthorized', 'send an operator token: Authorization: Bearer <token>');
  return operator;
}
