import { randomBytes, randomInt } from 'node:crypto';
import { type Ctx, inTransaction } from '../context.js';
import { isUniqueViolation } from '../db/connection.js';
import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';
import type { SecretBox } from '../security/secret-box.js';
import { getAffiliate } from './queries.js';

export type ApiCredentials = { appKey: string; appSecret: string };

const MAX_KEY_ATTEMPTS = 5;

/**
 * Issues a new app_key / app_secret pair (the AliExpress Open API's shapes: an 8-digit key,
 * a 32-character secret) and revokes the previous pair. The secret is stored encrypted and
 * returned only here, once.
 */
export async function issueApiCredentials(ctx: Ctx, affiliateId: string): Promise<ApiCredentials> {
  await getAffiliate(ctx.db, affiliateId);
  const appSecret = randomBytes(16).toString('hex');
  const sealed = ctx.secrets.seal(appSecret);
  for (let attempt = 1; ; attempt += 1) {
    const appKey = String(randomInt(10_000_000, 100_000_000));
    try {
      await inTransaction(ctx, async (tx) => {
        const now = toDbTime(tx.clock.now());
        await tx.db
          .updateTable('api_credentials')
          .set({ revoked_at: now })
          .where('affiliate_id', '=', affiliateId)
          .where('revoked_at', 'is', null)
          .execute();
        await tx.db
          .insertInto('api_credentials')
          .values({
            app_key: appKey,
            affiliate_id: affiliateId,
            app_secret_enc: sealed,
            created_at: now,
            revoked_at: null,
          })
          .execute();
      });
      return { appKey, appSecret };
    } catch (error) {
      // Eight digits collide now and then: draw again, a bounded number of times.
      if (!isUniqueViolation(error) || attempt >= MAX_KEY_ATTEMPTS) throw error;
    }
  }
}

/** The affiliate and decrypted secret behind an active app_key, for request signing. */
export async function findApiCredentials(
  db: Db,
  secrets: SecretBox,
  appKey: string,
): Promise<{ affiliateId: string; appSecret: string } | undefined> {
  const row = await db
    .selectFrom('api_credentials')
    .select(['affiliate_id', 'app_secret_enc'])
    .where('app_key', '=', appKey)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row
    ? { affiliateId: row.affiliate_id, appSecret: secrets.open(row.app_secret_enc) }
    : undefined;
}
