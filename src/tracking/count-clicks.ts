import type { Ctx } from '../context.js';
import { selectWhereIn } from '../db/select-where-in.js';

/** How many of these clicks are stored, and how many of those were counted unique. */
export async function countStoredClicks(
  ctx: Pick<Ctx, 'db' | 'sqlite'>,
  ids: readonly string[],
): Promise<{ stored: number; unique: number }> {
  const rows = await selectWhereIn<{ is_unique: bigint | number }>(ctx, {
    from: 'clicks',
    columns: ['is_unique'],
    column: 'id',
    values: ids,
  });
  return { stored: rows.length, unique: rows.filter((r) => Number(r.is_unique) === 1).length };
}
