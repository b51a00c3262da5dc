// npm run bench:seller-reports [-- --sub-orders N] — a seller's reports and order list over
// N sub-orders of its stores (100,000 by default) among as many of another seller's, 95 days;
// SQLite, then PostgreSQL. Rows are written directly (bulk-loader.ts), as bench:reports does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCategory } from '../catalog/create-category.js';
import { createSeller, createStore } from '../catalog/create-store.js';
import { upsertProducts } from '../catalog/upsert-products.js';
import { loadConfig } from '../config.js';
import { openContext } from '../context.js';
import { toDbTime } from '../db/time.js';
import { createLogger } from '../log.js';
import { SeededRandom } from '../seed/random.js';
import { sellerOrders, sellerReport } from '../sellers/seller-reports.js';
import { median, onEachDatabase, table } from './bench-util.js';
import { type BulkLoader, type LoadTable, postgresLoader, sqliteLoader } from './bulk-loader.js';
import { ints, texts } from './reports-rows.js';

const arg = process.argv.indexOf('--sub-orders');
const SUB_ORDERS = arg > 0 ? Number(process.argv[arg + 1]) : 100_000;
const PRODUCTS_PER_SELLER = 2_000;
const DAYS = 95;
const RUNS = 5;
const DAY_MS = 86_400_000;

const ordersTable: LoadTable = {
  name: 'orders',
  columns: [
    ...texts('order_id', 'buyer_id', 'ship_to_country', 'shipping_method', 'click_id'),
    ...texts('affiliate_id', 'tracking_id', 'sub1', 'attribution', 'paid_at', 'created_at'),
    ...ints('is_new_buyer'),
  ],
};
const subOrdersTable: LoadTable = {
  name: 'sub_orders',
  columns: [
    ...texts('sub_order_id', 'order_id', 'affiliate_id', 'paid_at', 'product_id', 'currency'),
    ...texts('settlement_currency', 'status', 'explanation', 'created_at'),
    ...ints('quantity', 'unit_price_minor', 'paid_minor', 'rate_bp', 'commission_minor'),
    ...ints('commission_settlement_minor', 'settled_minor'),
  ],
};
const STATUSES = [
  'payment_completed',
  'buyer_confirmed_receipt',
  'completed_settlement',
  'invalid',
];

const rows: (string | number)[][] = [['database', 'query', 'rows', 'median ms', 'max ms']];
console.log(
  `${SUB_ORDERS.toLocaleString('en')} sub-orders of the measured seller and as many of another, ${DAYS} days, ${PRODUCTS_PER_SELLER} products each; node ${process.version}, ${os.cpus().length} cores`,
);

await onEachDatabase('affnet_bench_seller_reports', async (database, databaseUrl) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-bench-seller-'));
  const env = { AFFNET_DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  const ctx = await openContext(loadConfig(env), createLogger('warn'));
  try {
    const now = ctx.clock.now();
    await createCategory(ctx, { id: 'bench-cat-1', name: 'Bench gadgets' });
    await createCategory(ctx, { id: 'bench-cat-2', name: 'Bench garden' });
    const sellers: { id: string; products: string[] }[] = [];
    for (const name of ['Measured', 'Other']) {
      const seller = await createSeller(ctx, { name: `${name} seller` });
      const store = await createStore(ctx, {
        id: `bench-${name.toLowerCase()}`,
        sellerId: seller.id,
        name,
      });
      const products = Array.from({ length: PRODUCTS_PER_SELLER }, (_, i) => ({
        productId: `${store.id}-p${i}`,
        storeId: store.id,
        categoryId: i % 2 ? 'bench-cat-1' : 'bench-cat-2',
        title: `${name} product ${i}`,
        priceMinor: 1999n,
        currency: 'USD',
        url: `https://shop.example/item/${store.id}-p${i}.html`,
        imageUrls: [],
        salesVolume: 0n,
        positiveFeedbackBp: null,
        shipFrom: null,
        shippingMethods: ['DHL'],
      }));
      for (let at = 0; at < products.length; at += 1000)
        await upsertProducts(ctx, products.slice(at, at + 1000));
      sellers.push({ id: seller.id, products: products.map((p) => p.productId) });
    }
    const started = performance.now();
    const load: BulkLoader = databaseUrl
      ? postgresLoader(databaseUrl)
      : sqliteLoader(path.join(dataDir, 'affnet.db'));
    const random = new SeededRandom(7);
    const startMs = now.getTime() - DAYS * DAY_MS;
    for (let n = 0; n < SUB_ORDERS * 2; n += 1) {
      // Interleaved: the other seller's sub-orders sit between the measured one's.
      const seller = sellers[n % 2] as { products: string[] };
      const paidAt = toDbTime(
        new Date(startMs + Math.floor((n / (SUB_ORDERS * 2)) * DAYS * DAY_MS)),
      );
      const orderId = `bo-${n}`;
      const product = seller.products[Math.floor(random.next() * PRODUCTS_PER_SELLER)] as string;
      const status = STATUSES[Math.floor(random.next() * 4)] as string;
      await load.add(ordersTable, [
        orderId,
        'buyer',
        'DE',
        'DHL',
        null,
        'aff_bench',
        'default',
        null,
        '{}',
        paidAt,
        paidAt,
        0n,
      ]);
      await load.add(subOrdersTable, [
        `${orderId}-1`,
        orderId,
        'aff_bench',
        paidAt,
        product,
        'USD',
        'USD',
        status,
        '[]',
        paidAt,
        1n,
        1999n,
        1999n,
        800n,
        160n,
        160n,
        status === 'completed_settlement' ? 160n : null,
      ]);
    }
    await load.commit();
    await load.close();
    console.log(
      `${database}: ${SUB_ORDERS * 2} sub-orders written in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    if (databaseUrl) await import('kysely').then(({ sql }) => sql`analyze`.execute(ctx.db));
    const measured = sellers[0]?.id as string;
    const filter = { from: new Date(startMs), to: new Date(now.getTime() + DAY_MS) };
    const time = async (name: string, run: () => Promise<number>) => {
      const ms: number[] = [];
      let count = 0;
      for (let i = 0; i < RUNS; i += 1) {
        const t0 = performance.now();
        count = await run();
        ms.push(performance.now() - t0);
      }
      rows.push([database, name, count, median(ms).toFixed(1), Math.max(...ms).toFixed(1)]);
    };
    for (const by of ['day', 'product', 'category'] as const)
      await time(
        `report by ${by}, ${DAYS} days`,
        async () => (await sellerReport(ctx, measured, by, filter)).length,
      );
    await time(
      'report by day, last 7 days',
      async () =>
        (
          await sellerReport(ctx, measured, 'day', {
            from: new Date(now.getTime() - 7 * DAY_MS),
            to: filter.to,
          })
        ).length,
    );
    await time(
      'orders, first page of 100',
      async () => (await sellerOrders(ctx, measured, { ...filter, limit: 100 })).rows.length,
    );
    const first = await sellerOrders(ctx, measured, { ...filter, limit: 1000 });
    await time(
      'orders, second page of 100 (after 1,000)',
      async () =>
        (await sellerOrders(ctx, measured, { ...filter, after: first.next as string, limit: 100 }))
          .rows.length,
    );
    // The plans of the two shapes of query (the same SQL the services build).
    const stores = `'bench-measured'`;
    const range = `s.paid_at >= '${toDbTime(filter.from)}' and s.paid_at < '${toDbTime(filter.to)}'`;
    const explain = databaseUrl ? 'explain' : 'explain query plan';
    for (const query of [
      `select substr(s.paid_at, 1, 10), s.settlement_currency, count(distinct s.order_id), sum(s.paid_minor)
        from products p join sub_orders s on s.product_id = p.product_id
        where p.store_id in (${stores}) and ${range} and s.affiliate_id is not null
        group by substr(s.paid_at, 1, 10), s.settlement_currency`,
      `select s.sub_order_id from products p join sub_orders s on s.product_id = p.product_id
        where p.store_id in (${stores}) and s.affiliate_id is not null and ${range}
        order by s.paid_at, s.sub_order_id limit 101`,
    ]) {
      const { sql } = await import('kysely');
      const plan = await sql.raw<Record<string, unknown>>(`${explain} ${query}`).execute(ctx.db);
      console.log(
        `${database} plan:\n${plan.rows.map((r) => `  ${String(r['QUERY PLAN'] ?? r.detail)}`).join('\n')}`,
      );
    }
  } finally {
    await ctx.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
console.log(table(rows));
