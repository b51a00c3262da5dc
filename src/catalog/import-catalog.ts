import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import { AppError } from '../errors.js';
import { getSettings } from '../settings/get-settings.js';
import { CategoryPaths } from './category-paths.js';
import { createSeller, createStore } from './create-store.js';
import { type CheckedProduct, checkProductCells, setCategory } from './product-cells.js';
import { openProductWriter, ROWS_PER_WRITE } from './product-writer.js';
import { categoryExists, storeExists } from './queries.js';
import { readCatalogFile } from './read-catalog-file.js';

export type RejectedRow = { line: number; reason: string };
export type ImportReport = {
  read: number;
  created: number;
  updated: number;
  rejected: number;
  errors: RejectedRow[];
};
export type ImportOptions = {
  /** Write on a worker thread when the database is a SQLite file (the CLI does). */
  useWorker?: boolean;
  /** About how many rows the file holds (the CLI counts its lines): a large import writes in bulk mode. */
  expectedRows?: number;
  /** Called as rows are read, with the count so far. */
  onProgress?: (rowsRead: number) => void;
};

const MAX_ERRORS_KEPT = 1000;

/**
 * Imports a CSV or JSON-lines catalog: good rows are written (new ids created, known ids
 * updated), bad rows are reported with their line numbers and reasons and change nothing.
 */
export async function importCatalog(
  ctx: Ctx,
  file: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const { marketplaceDomains } = await getSettings(ctx.db, ctx.clock.now());
  const stores = new Map<string, boolean>();
  const categories = new Map<string, boolean>();
  const paths = new CategoryPaths(ctx);
  const writer = await openProductWriter(ctx, {
    useWorker: options.useWorker ?? false,
    expectedRows: options.expectedRows ?? 0,
  });
  const report: ImportReport = { read: 0, created: 0, updated: 0, rejected: 0, errors: [] };
  // The awaits are taken only on a first sight of a store or category; then it is all maps.
  const resolveParents = async (product: CheckedProduct) => {
    if (stores.get(product.storeId) !== true)
      await ensureStore(ctx, stores, product.storeId, product.storeName);
    if (product.categoryPath) {
      const text = product.categoryPathText as string;
      setCategory(product, paths.known(text) ?? (await paths.resolve(product.categoryPath, text)));
    } else if (categories.get(product.categoryId as string) !== true) {
      await knownCategory(ctx, categories, product.categoryId as string);
    }
  };
  const reject = ({ line, reason }: RejectedRow) => {
    report.rejected += 1;
    if (report.errors.length < MAX_ERRORS_KEPT) report.errors.push({ line, reason });
  };
  let batch: unknown[][] = [];
  const now = toDbTime(ctx.clock.now());

  try {
    for await (const records of readCatalogFile(file)) {
      report.read += records.length;
      for (const record of records) {
        const checked =
          'error' in record
            ? record.error
            : checkProductCells(record.line, record.cells, marketplaceDomains, now);
        if (typeof checked === 'string') {
          reject({ line: record.line, reason: checked });
          continue;
        }
        try {
          await resolveParents(checked);
          batch.push(checked.values);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          reject({ line: record.line, reason: error.message });
        }
        if (batch.length >= ROWS_PER_WRITE) {
          await writer.write(batch);
          batch = [];
        }
      }
      options.onProgress?.(report.read);
    }
    await writer.write(batch);
  } finally {
    const counts = await writer.finish();
    report.created = counts.created;
    report.updated = counts.updated;
  }
  report.errors.sort((a, b) => a.line - b.line);
  return report;
}

async function ensureStore(
  ctx: Ctx,
  known: Map<string, boolean>,
  storeId: string,
  storeName: string | undefined,
): Promise<void> {
  if (!known.has(storeId)) known.set(storeId, await storeExists(ctx.db, storeId));
  if (known.get(storeId)) return;
  if (!storeName)
    throw new AppError(
      'store_not_found',
      `unknown store ${storeId} (give store_name to create it)`,
    );
  const seller = await createSeller(ctx, { name: storeName });
  await createStore(ctx, { id: storeId, sellerId: seller.id, name: storeName });
  known.set(storeId, true);
}

async function knownCategory(
  ctx: Ctx,
  known: Map<string, boolean>,
  categoryId: string,
): Promise<string> {
  if (!known.has(categoryId)) known.set(categoryId, await categoryExists(ctx.db, categoryId));
  if (!known.get(categoryId))
    throw new AppError('category_not_found', `unknown category ${categoryId}`);
  return categoryId;
}
