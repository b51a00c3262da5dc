import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { describeIssues } from '../lib/parse-input.js';
import { getSettings } from '../settings/get-settings.js';
import { CategoryPaths } from './category-paths.js';
import { checkMarketplaceUrl } from './check-marketplace-url.js';
import { createSeller, createStore } from './create-store.js';
import { productRow } from './product-row.js';
import { categoryExists, storeExists } from './queries.js';
import { readCatalogFile } from './read-catalog-file.js';
import type { Product } from './schema.js';
import { upsertProducts } from './upsert-products.js';

export type RejectedRow = { line: number; reason: string };
export type ImportReport = {
  read: number;
  created: number;
  updated: number;
  rejected: number;
  errors: RejectedRow[];
};
export type ImportOptions = {
  batchSize?: number;
  /** Called after each batch is written, with the rows read so far. */
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
  const batchSize = Math.min(options.batchSize ?? 500, 1000);
  const { marketplaceDomains } = await getSettings(ctx.db, ctx.clock.now());
  const stores = new Map<string, boolean>();
  const categories = new Map<string, boolean>();
  const paths = new CategoryPaths(ctx);
  const report: ImportReport = { read: 0, created: 0, updated: 0, rejected: 0, errors: [] };
  let batch: Product[] = [];

  const reject = (line: number, reason: string) => {
    report.rejected += 1;
    if (report.errors.length < MAX_ERRORS_KEPT) report.errors.push({ line, reason });
  };
  const flush = async () => {
    const written = await upsertProducts(ctx, batch);
    report.created += written.created;
    report.updated += written.updated;
    batch = [];
    options.onProgress?.(report.read);
  };

  for await (const raw of readCatalogFile(file)) {
    report.read += 1;
    if ('error' in raw) {
      reject(raw.line, raw.error);
      continue;
    }
    const parsed = productRow.safeParse(raw.record);
    if (!parsed.success) {
      reject(raw.line, describeIssues(parsed.error.issues));
      continue;
    }
    const row = parsed.data;
    try {
      const url = checkMarketplaceUrl(row.url, marketplaceDomains);
      await ensureStore(ctx, stores, row.store_id, row.store_name);
      const categoryId = row.category_path
        ? await paths.resolve(row.category_path)
        : await knownCategory(ctx, categories, row.category_id as string);
      batch.push({
        productId: row.product_id,
        storeId: row.store_id,
        categoryId,
        title: row.title,
        priceMinor: row.price_minor,
        currency: row.currency,
        url,
        imageUrls: row.image_urls ?? [],
        salesVolume: row.sales_volume ?? 0n,
        positiveFeedbackBp:
          row.positive_feedback_bp === undefined ? null : Number(row.positive_feedback_bp),
        shipFrom: row.ship_from ?? null,
        shippingMethods: row.shipping_methods ?? [],
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      reject(raw.line, error.message);
      continue;
    }
    if (batch.length >= batchSize) await flush();
  }
  await flush();
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
