import type { Db } from '../db/types.js';
import { toPostback } from './queries.js';
import { MAX_TARGET_PAGE, type Postback } from './schema.js';

/** The affiliate's postbacks, newest first, deleted and disabled ones too; a page before `beforeId`. */
export async function listPostbacks(
  db: Db,
  affiliateId: string,
  page: { beforeId?: string | undefined; limit: number },
): Promise<Postback[]> {
  const rows = await db
    .selectFrom('postbacks as p')
    .leftJoin('tracking_ids as t', 't.id', 'p.tracking_id')
    .selectAll('p')
    .select('t.name as tracking_name')
    .where('p.affiliate_id', '=', affiliateId)
    .$if(page.beforeId !== undefined, (q) => q.where('p.id', '<', page.beforeId as string))
    .orderBy('p.id', 'desc')
    .limit(Math.min(Math.max(page.limit, 1), MAX_TARGET_PAGE))
    .execute();
  return rows.map((row) => toPostback(row, row.tracking_name));
}
