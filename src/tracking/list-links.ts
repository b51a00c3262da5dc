import type { Db } from '../db/types.js';
import { toLink } from './queries.js';
import type { Link } from './schema.js';

export const MAX_LINK_PAGE = 100;

/** The affiliate's links, newest first, a page before the link id `beforeId`. */
export async function listLinks(
  db: Db,
  affiliateId: string,
  baseUrl: string,
  page: { beforeId?: string | undefined; limit: number },
): Promise<Link[]> {
  const rows = await db
    .selectFrom('links')
    .innerJoin('tracking_ids', 'tracking_ids.id', 'links.tracking_id')
    .select([
      'links.id',
      'links.code',
      'links.url',
      'links.kind',
      'links.product_id',
      'links.type',
      'links.status',
      'tracking_ids.name as tracking_name',
    ])
    .where('links.affiliate_id', '=', affiliateId)
    .$if(page.beforeId !== undefined, (q) => q.where('links.id', '<', page.beforeId as string))
    .orderBy('links.id', 'desc')
    .limit(Math.min(Math.max(page.limit, 1), MAX_LINK_PAGE))
    .execute();
  return rows.map((r) => toLink(r, r.tracking_name, baseUrl));
}
