// npm run bench:seller-import [-- --rows N] — a seller's rates file of N rows (default
// 10,000) over N products: the preview, the apply (one transaction), and the same file again
// (every row already in force: nothing written), and a page of the seller API's products, on
// SQLite and PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCategory } from '../catalog/create-category.js';
import { createSeller, createStore } from '../catalog/create-store.js';
import type { Product } from '../catalog/schema.js';
import { upsertProducts } from '../catalog/upsert-products.js';
import { DAY_MS, ManualClock } from '../clock.js';
import { loadConfig } from '../config.js';
import { openContext } from '../context.js';
import { createLogger } from '../log.js';
import { applyRatesImport, previewRatesImport } from '../sellers/import-rates.js';
import { MAX_PRODUCT_PAGE, sellerProducts } from '../sellers/seller-catalog.js';
import { setSellerEnrollment } from '../sellers/seller-enrollment.js';
import { cliEnv, onEachDatabase, table } from './bench-util.js';

const arg = process.argv.indexOf('--rows');
const ROWS = arg > 0 ? Number(process.argv[arg + 1]) : 10_000;
const START = '2026-11-01T09:00:00.000Z';

const rows: (string | number)[][] = [['database', 'step', 'rows', 'ms', 'rows per second']];
console.log(
  `${ROWS.toLocaleString('en')} rows; node ${process.version}, ${os.cpus().length} cores`,
);

await onEachDatabase('affnet_bench_seller_import', async (database, databaseUrl) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-bench-seller-import-'));
  const clock = new ManualClock(START);
  const ctx = await openContext(
    loadConfig(cliEnv(dataDir, databaseUrl)),
    createLogger('warn'),
    clock,
  );
  try {
    const seller = await createSeller(ctx, { name: 'Bench seller', email: 'bench@shop.example' });
    const store = await createStore(ctx, { id: 'bench-store', sellerId: seller.id, name: 'Bench' });
    await createCategory(ctx, { id: 'bench-cat', name: 'Bench' });
    const ids = Array.from({ length: ROWS }, (_, i) => `bench-p${String(i).padStart(6, '0')}`);
    for (let i = 0; i < ids.length; i += 1000) {
      const batch: Product[] = ids.slice(i, i + 1000).map((productId) => ({
        productId,
        storeId: store.id,
        categoryId: 'bench-cat',
        title: `Bench ${productId}`,
        priceMinor: 1999n,
        currency: 'USD',
        url: `https://shop.example/item/${productId}.html`,
        imageUrls: [],
        salesVolume: 0n,
        positiveFeedbackBp: null,
        shipFrom: null,
        shippingMethods: ['DHL'],
      }));
      await upsertProducts(ctx, batch);
    }
    await setSellerEnrollment(ctx, seller.id, {
      storeId: store.id,
      scope: 'store',
      enrolled: true,
    });
    // Half the products have a rate already, so the file raises, lowers and adds.
    const first = [
      'product_id,rate_bp,effective_from',
      ...ids.slice(0, ROWS / 2).map((p) => `${p},800,`),
    ];
    await applyRatesImport(ctx, seller.id, first.join('\n'));
    clock.advance(60_000);
    const later = new Date(clock.now().getTime() + 10 * DAY_MS).toISOString().slice(0, 10);
    const file = [
      'product_id,rate_bp,effective_from',
      ...ids.map((p, i) => `${p},${[600, 800, 1200][i % 3]},${i % 2 ? later : ''}`),
    ].join('\n');

    const time = async <T>(step: string, work: () => Promise<T>) => {
      const started = performance.now();
      const result = await work();
      const ms = performance.now() - started;
      rows.push([database, step, ROWS, Math.round(ms), Math.round((ROWS / ms) * 1000)]);
      return result;
    };
    const preview = await time('preview', () => previewRatesImport(ctx, seller.id, file));
    const applied = await time('apply', () => applyRatesImport(ctx, seller.id, file));
    const again = await time('apply again (all in force)', () =>
      applyRatesImport(ctx, seller.id, file),
    );
    if (applied.applied !== ROWS - preview.totals.unchanged || again.applied !== 0)
      throw new Error(`unexpected: ${applied.message} / ${again.message}`);
    // The seller API's product page: each product's rate now (rateFor) and its scheduled changes.
    const started = performance.now();
    const page = await sellerProducts(ctx, seller.id, { limit: MAX_PRODUCT_PAGE });
    const pageMs = performance.now() - started;
    rows.push([
      database,
      'GET /products page',
      page.length,
      Math.round(pageMs),
      Math.round((page.length / pageMs) * 1000),
    ]);
    console.log(`${database}: ${JSON.stringify(preview.totals)}`);
  } finally {
    await ctx.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
console.log(table(rows));
