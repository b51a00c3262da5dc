import type { Db } from '../db/types.js';
import { toWebhook } from './queries.js';
import { MAX_TARGET_PAGE, type Webhook } from './schema.js';

/** The affiliate's webhooks, newest first, deleted and disabled ones too; a page before `beforeId`. */
export async function listWebhooks(
  db: Db,
  affiliateId: string,
  page: { beforeId?: string | undefined; limit: number },
): Promise<Webhook[]> {
  const rows = await db
    .selectFrom('webhooks')
    .selectAll()
    .where('affiliate_id', '=', affiliateId)
    .$if(page.beforeId !== undefined, (q) => q.where('id', '<', page.beforeId as string))
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(page.limit, 1), MAX_TARGET_PAGE))
    .execute();
  return rows.map(toWebhook);
}
