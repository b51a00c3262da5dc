import { createHash, randomBytes } from 'node:crypto';
import { affiliateIdOfUser } from '../affiliates/queries.js';
import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import type { UsersTable } from '../db/types.js';
import { sellerOfUser } from '../sellers/seller-access.js';

export const SESSION_COOKIE = 'affnet_session';
/** A session ends a week after log-in, whatever happens in between. */
export const SESSION_SECONDS = 7 * 86_400;

export type WebSession = {
  userId: string;
  email: string;
  role: UsersTable['role'];
  /** The affiliate this login is, for an affiliate's login. */
  affiliateId: string | null;
  /** The seller this login is, for a seller-center login. */
  sellerId: string | null;
  csrfToken: string;
};

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A new session for a user who just proved who they are: always a new token (a session id
 * fixed before log-in is never taken over) and its own CSRF token.
 */
export async function startSession(ctx: Ctx, userId: string): Promise<{ token: string }> {
  const token = newToken();
  const now = ctx.clock.now();
  await ctx.db
    .insertInto('web_sessions')
    .values({
      id_hash: hashToken(token),
      user_id: userId,
      csrf_token: newToken(),
      created_at: toDbTime(now),
      expires_at: toDbTime(new Date(now.getTime() + SESSION_SECONDS * 1000)),
    })
    .execute();
  return { token };
}

/** The session a cookie's token opens, unless it is unknown or has ended. */
export async function findSession(ctx: Ctx, token: string): Promise<WebSession | undefined> {
  if (token.length > 100) return undefined;
  const row = await ctx.db
    .selectFrom('web_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id as userId', 'u.email', 'u.role', 's.csrf_token', 's.expires_at'])
    .where('s.id_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.expires_at <= toDbTime(ctx.clock.now())) return undefined;
  return {
    userId: row.userId,
    email: row.email,
    role: row.role,
    affiliateId: row.role === 'affiliate' ? await affiliateIdOfUser(ctx.db, row.userId) : null,
    sellerId: row.role === 'seller' ? ((await sellerOfUser(ctx.db, row.userId)) ?? null) : null,
    csrfToken: row.csrf_token,
  };
}

export async function endSession(ctx: Ctx, token: string): Promise<void> {
  await ctx.db.deleteFrom('web_sessions').where('id_hash', '=', hashToken(token)).execute();
}
