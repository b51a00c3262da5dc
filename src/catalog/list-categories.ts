import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { MAX_CATEGORY_DEPTH } from './queries.js';

/** More categories than any marketplace tree we import; the listing stops there. */
export const MAX_LISTED_CATEGORIES = 10_000;

export type CategoryNode = { id: string; name: string; parentId: string | null; level: number };

/** The category tree, top levels first, at most MAX_LISTED_CATEGORIES of it. */
export async function listCategories(db: Db): Promise<CategoryNode[]> {
  const rows = await db
    .selectFrom('categories')
    .select(['id', 'name', 'parent_id', 'level'])
    .orderBy('level')
    .orderBy('id')
    .limit(MAX_LISTED_CATEGORIES)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    parentId: r.parent_id,
    level: Number(r.level),
  }));
}

/**
 * For each of these categories, the path from the top of the tree down to it (top first),
 * in one recursive query of bounded depth; a category that does not exist is left out.
 */
export async function categoryLineages(
  db: Db,
  categoryIds: readonly string[],
): Promise<Map<string, { id: string; name: string }[]>> {
  const lineages = new Map<string, { id: string; name: string }[]>();
  const ids = [...new Set(categoryIds)];
  if (ids.length === 0) return lineages;
  const result = await sql<{ start_id: string; id: string; name: string; depth: number }>`
    with recursive up(start_id, id, parent_id, name, depth) as (
      select id, id, parent_id, name, 0 from categories where id in (${sql.join(ids)})
      union all
      select up.start_id, c.id, c.parent_id, c.name, up.depth + 1 from categories c
        join up on c.id = up.parent_id
      where up.depth < ${MAX_CATEGORY_DEPTH}
    )
    select start_id, id, name, depth from up order by start_id, depth desc`.execute(db);
  for (const row of result.rows) {
    const path = lineages.get(row.start_id) ?? [];
    path.push({ id: row.id, name: row.name });
    lineages.set(row.start_id, path);
  }
  return lineages;
}
