import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';

export type CategoryTableRow = {
  categoryId: string;
  name: string;
  rateBp: number;
  effectiveFrom: string;
};

/**
 * The operator's category table in force at `at` (what `fixed_category` mode pays): the
 * newest `program_category` rule of each category, removed rules left out.
 */
export async function categoryTable(db: Db, at: Date): Promise<CategoryTableRow[]> {
  const rows = await db
    .selectFrom('commission_rules')
    .innerJoin('categories', 'categories.id', 'commission_rules.target_id')
    .select([
      'commission_rules.target_id',
      'categories.name',
      'commission_rules.rate_bp',
      'commission_rules.effective_from',
    ])
    .where('commission_rules.scope', '=', 'program_category')
    .where('commission_rules.effective_from', '<=', toDbTime(at))
    .orderBy('commission_rules.effective_from')
    .orderBy('commission_rules.created_at')
    .orderBy('commission_rules.id')
    .execute();
  const latest = new Map<string, (typeof rows)[number]>();
  for (const row of rows) latest.set(row.target_id as string, row);
  return [...latest.values()]
    .filter((row) => row.rate_bp !== null)
    .map((row) => ({
      categoryId: row.target_id as string,
      name: row.name,
      rateBp: Number(row.rate_bp),
      effectiveFrom: row.effective_from,
    }))
    .sort((a, b) => a.categoryId.localeCompare(b.categoryId));
}
