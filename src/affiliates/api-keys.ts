import { createHash, randomBytes } from 'node:crypto';
import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import { newId } from '../lib/ids.js';
import { getAffiliate } from './queries.js';

/** What a key may do; a route names the scope it needs. */
export const API_SCOPES = [
  'links:read',
  'links:write',
  'products:read',
  'orders:read',
  'reports:read',
  'payouts:read',
  'payouts:write',
  'webhooks:read',
  'webhooks:write',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export type ApiKeyHolder = { keyId: string; affiliateId: string; scopes: ReadonlySet<string> };

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * Issues a REST API key for the affiliate, shown once: `afk_` and 32 random bytes. Only its
 * SHA-256 is stored (the key is random and long, so a fast hash is enough to make a leaked
 * table useless).
 */
export async function issueApiKey(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  affiliateId: string,
  scopes: readonly string[] = API_SCOPES,
): Promise<{ id: string; key: string; scopes: string[] }> {
  await getAffiliate(ctx.db, affiliateId);
  const unknown = scopes.filter((s) => !(API_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0 || scopes.length === 0)
    throw new AppError(
      'unknown_scope',
      `scopes are ${API_SCOPES.join(', ')}${unknown.length ? `; not ${unknown.join(', ')}` : ''}`,
    );
  const key = `afk_${randomBytes(32).toString('base64url')}`;
  const id = newId('key', ctx.clock);
  const granted = [...new Set(scopes)];
  await ctx.db
    .insertInto('api_keys')
    .values({
      id,
      affiliate_id: affiliateId,
      key_hash: hashOf(key),
      scopes: granted.join(' '),
      created_at: toDbTime(ctx.clock.now()),
      revoked_at: null,
    })
    .execute();
  return { id, key, scopes: granted };
}

/** The affiliate and scopes behind a key, or undefined for an unknown or revoked key. */
export async function findApiKey(db: Db, key: string): Promise<ApiKeyHolder | undefined> {
  if (!key.startsWith('afk_') || key.length > 100) return undefined;
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'affiliate_id', 'scopes'])
    .where('key_hash', '=', hashOf(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  return { keyId: row.id, affiliateId: row.affiliate_id, scopes: new Set(row.scopes.split(' ')) };
}
