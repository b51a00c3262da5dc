import type { Db } from '../db/types.js';

/**
 * The products table's secondary indexes, as migration 0001 creates them. A large import
 * drops them and builds them again at the end: one sorted build is several times faster
 * than keeping two low-cardinality indexes up to date row by row.
 */
const PRODUCT_INDEXES = [
  { name: 'products_store', column: 'store_id' },
  { name: 'products_category', column: 'category_id' },
] as const;

/** An import at least this large, and at least half the size of the table, writes without them. */
export const BULK_IMPORT_MIN_ROWS = 50_000;

export function shouldDropProductIndexes(incomingRows: number, storedRows: number): boolean {
  return incomingRows >= BULK_IMPORT_MIN_ROWS && incomingRows * 2 >= storedRows;
}

export async function dropProductIndexes(db: Db): Promise<void> {
  for (const index of PRODUCT_INDEXES) await db.schema.dropIndex(index.name).ifExists().execute();
}

/** Builds whichever product index is missing: after a bulk import, or at start-up after a crash in one. */
export async function restoreProductIndexes(db: Db): Promise<void> {
  for (const index of PRODUCT_INDEXES)
    await db.schema
      .createIndex(index.name)
      .ifNotExists()
      .on('products')
      .column(index.column)
      .execute();
}
