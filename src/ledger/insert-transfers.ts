import type { Ctx } from '../context.js';
import { bulkInsertCount } from '../db/bulk-upsert.js';
import { selectWhereIn } from '../db/select-where-in.js';
import { transferSpec } from './transfer-spec.js';

const ID = transferSpec.columns.findIndex((c) => c.name === 'id');
const KEY = transferSpec.columns.findIndex((c) => c.name === 'key');

/**
 * Inserts transfer rows (transferSpec's columns, each with a fresh id) and returns
 * the keys of those written: a row that collides (its key, or its pending transfer
 * resolved meanwhile by a concurrent runner) is a no-op. When every row was written, as
 * nearly always, that costs the insert alone; otherwise one read finds the rows that carry
 * this call's ids.
 */
export async function insertTransfers(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite'>,
  rows: readonly unknown[][],
): Promise<Set<string>> {
  const written = await bulkInsertCount(ctx, transferSpec, rows);
  if (written === rows.length) return new Set(rows.map((row) => row[KEY] as string));
  const stored = await selectWhereIn<{ key: string }>(ctx, {
    from: 'ledger_transfers',
    columns: ['key'],
    column: 'id',
    values: rows.map((row) => row[ID] as string),
  });
  return new Set(stored.map((row) => row.key));
}
