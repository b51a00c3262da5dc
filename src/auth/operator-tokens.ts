import { createHash, randomBytes } from 'node:crypto';
import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import { newId } from '../lib/ids.js';

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** Issues an API token for an operator (by email), shown once; only its SHA-256 is kept. */
export async function issueOperatorToken(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  email: string,
): Promise<{ id: string; token: string }> {
  const user = await ctx.db
    .selectFrom('users')
    .select(['id', 'role'])
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
  if (user?.role !== 'operator') throw new AppError('operator_not_found', `no operator ${email}`);
  const token = `aop_${randomBytes(32).toString('base64url')}`;
  const id = newId('opt', ctx.clock);
  await ctx.db
    .insertInto('operator_tokens')
    .values({
      id,
      user_id: user.id,
      token_hash: hashOf(token),
      created_at: toDbTime(ctx.clock.now()),
      revoked_at: null,
    })
    .execute();
  return { id, token };
}

/** The operator (user id) behind a token, or undefined for an unknown or revoked one. */
export async function findOperatorToken(db: Db, token: string): Promise<string | undefined> {
  if (!token.startsWith('aop_') || token.length > 100) return undefined;
  const row = await db
    .selectFrom('operator_tokens')
    .select('user_id')
    .where('token_hash', '=', hashOf(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row?.user_id;
}
