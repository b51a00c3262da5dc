import { createHash, randomBytes } from 'node:crypto';
import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import { newId } from '../lib/ids.js';
import { getSeller } from './seller-access.js';

const PREFIX = 'slk_';
const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * Issues a seller API key, shown once: `slk_` and 32 random bytes; only its SHA-256 is kept.
 * A seller key is a different kind from an affiliate's (`afk_`): neither opens the other's API.
 */
export async function issueSellerApiKey(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  sellerId: string,
): Promise<{ id: string; key: string }> {
  await getSeller(ctx.db, sellerId);
  const key = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = newId('skey', ctx.clock);
  await ctx.db
    .insertInto('seller_api_keys')
    .values({
      id,
      seller_id: sellerId,
      key_hash: hashOf(key),
      created_at: toDbTime(ctx.clock.now()),
      revoked_at: null,
    })
    .execute();
  return { id, key };
}

/** The seller behind a key, or undefined for an unknown or revoked key. */
export async function findSellerApiKey(db: Db, key: string): Promise<string | undefined> {
  if (!key.startsWith(PREFIX) || key.length > 100) return undefined;
  const row = await db
    .selectFrom('seller_api_keys')
    .select('seller_id')
    .where('key_hash', '=', hashOf(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row?.seller_id;
}

/** The seller's keys (never the keys themselves), newest first. */
export async function listSellerApiKeys(
  db: Db,
  sellerId: string,
): Promise<{ id: string; createdAt: string; revokedAt: string | null }[]> {
  const rows = await db
    .selectFrom('seller_api_keys')
    .select(['id', 'created_at', 'revoked_at'])
    .where('seller_id', '=', sellerId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at, revokedAt: r.revoked_at }));
}

/** Revokes one of the seller's keys; another seller's key id answers api_key_not_found. */
export async function revokeSellerApiKey(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  sellerId: string,
  keyId: string,
): Promise<void> {
  const result = await ctx.db
    .updateTable('seller_api_keys')
    .set({ revoked_at: toDbTime(ctx.clock.now()) })
    .where('id', '=', keyId)
    .where('seller_id', '=', sellerId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n)
    throw new AppError('api_key_not_found', `no active API key ${keyId} of yours`);
}
