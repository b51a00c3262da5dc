// npm run bench:api [-- --orders N] — order.list (the Open API) and GET /api/v1/orders, 50
// orders a page, with N orders in the database (default 1,000,000), on SQLite then
// PostgreSQL: p50 / p95 / p99 of sequential requests over loopback, against the target.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { issueApiCredentials } from '../affiliates/api-credentials.js';
import { issueApiKey } from '../affiliates/api-keys.js';
import { PLATFORM_OFFSET_MS } from '../api/open-api/params.js';
import { openApiSignature } from '../api/open-api/sign.js';
import { loadConfig } from '../config.js';
import { inTransaction, openContext } from '../context.js';
import { type BulkSpec, bulkUpsert, MAX_BULK_ROWS } from '../db/bulk-upsert.js';
import { createLogger } from '../log.js';
import { CLI, cliEnv, listeningUrl, onEachDatabase, table, timeCli } from './bench-util.js';

const arg = process.argv.indexOf('--orders');
const ORDERS = arg > 0 ? Number(process.argv[arg + 1]) : 1_000_000;
const DAYS = 90;
/** The measured affiliate's share of all orders: a big publisher. */
const SHARE = 0.2;
const REQUESTS = 300;
const TARGET_P95_MS = 20;
const rows: (string | number)[][] = [
  ['database', 'call', 'requests', 'p50 ms', 'p95 ms', 'p99 ms', 'target'],
];
console.log(
  `${ORDERS.toLocaleString('en')} orders over ${DAYS} days, ${SHARE * 100}% of them the measured affiliate's; node ${process.version}, ${os.cpus().length} cores`,
);

const text = (name: string) => ({ name, type: 'text' as const });
const int = (name: string) => ({ name, type: 'bigint' as const });
const orderSpec: BulkSpec = {
  table: 'orders',
  columns: [
    'order_id',
    'buyer_id',
    'ship_to_country',
    'shipping_method',
    'click_id',
    'affiliate_id',
    'tracking_id',
    'attribution',
    'paid_at',
    'created_at',
  ]
    .map((name): BulkSpec['columns'][number] => text(name))
    .concat([int('is_new_buyer')]),
  conflict: 'fail',
  update: 'nothing',
};
const subSpec: BulkSpec = {
  table: 'sub_orders',
  columns: [
    ...[
      'sub_order_id',
      'order_id',
      'affiliate_id',
      'paid_at',
      'product_id',
      'currency',
      'settlement_currency',
      'status',
      'explanation',
      'created_at',
    ].map(text),
    ...[
      'quantity',
      'unit_price_minor',
      'paid_minor',
      'rate_bp',
      'commission_minor',
      'commission_settlement_minor',
    ].map(int),
  ],
  conflict: 'fail',
  update: 'nothing',
};

await onEachDatabase('affnet_bench_api', async (database, databaseUrl) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-bench-api-'));
  const env = cliEnv(dataDir, databaseUrl, { PORT: '0', AFFNET_OPEN_API_RATE: '100000' });
  const seeded = await timeCli(['seed', '--demo', '--no-history'], env);
  const affiliateId = /\(id (aff_[0-9a-z]+)\)/.exec(seeded.stdout)?.[1] as string;
  const products = (await timeCli(['catalog', 'list', '--limit', '100', '--json'], env)).stdout
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { product_id: string }).product_id);
  const ctx = await openContext(loadConfig(env), createLogger('warn'));
  const nowMs = Date.now();
  const started = performance.now();
  let credentials: { appKey: string; appSecret: string };
  let apiKey: string;
  try {
    const trackingRow = await ctx.db
      .selectFrom('tracking_ids')
      .select('id')
      .where('affiliate_id', '=', affiliateId)
      .executeTakeFirstOrThrow();
    for (let start = 0; start < ORDERS; start += MAX_BULK_ROWS) {
      const orders: unknown[][] = [];
      const subs: unknown[][] = [];
      for (let i = start; i < Math.min(ORDERS, start + MAX_BULK_ROWS); i += 1) {
        const id = String(8_000_000_000_000_000n + BigInt(i));
        const mine = i % Math.round(1 / SHARE) === 0;
        // Oldest first, as orders arrive: a day's sub-orders lie in neighbouring pages.
        const paidAt = new Date(
          nowMs - DAYS * 86_400_000 + Math.floor((i / ORDERS) * DAYS * 86_400_000),
        ).toISOString();
        orders.push([
          id,
          `buyer-${i % 50_000}`,
          'DE',
          'DHL',
          null,
          mine ? affiliateId : `aff_bench_${i % 500}`,
          mine ? trackingRow.id : null,
          '{}',
          paidAt,
          paidAt,
          0n,
        ]);
        subs.push([
          `${id}-1`,
          id,
          mine ? affiliateId : `aff_bench_${i % 500}`,
          paidAt,
          products[i % products.length] as string,
          'USD',
          'USD',
          'payment_completed',
          '[]',
          paidAt,
          1n,
          2999n,
          2999n,
          800n,
          240n,
          240n,
        ]);
      }
      await inTransaction(ctx, async (tx) => {
        await bulkUpsert(tx, orderSpec, orders);
        await bulkUpsert(tx, subSpec, subs);
      });
    }
    // Statistics and the visibility map, as autovacuum would leave them after a bulk load.
    if (ctx.dialect === 'postgres') await sql`vacuum analyze`.execute(ctx.db);
    credentials = await issueApiCredentials(ctx, affiliateId);
    apiKey = (await issueApiKey(ctx, affiliateId, ['orders:read'])).key;
  } finally {
    await ctx.close();
  }
  console.log(
    `${database}: ${ORDERS.toLocaleString('en')} orders written in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const server = spawn(process.execPath, [CLI, 'serve', '--no-jobs'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await listeningUrl(server);
  const platform = (ms: number) =>
    new Date(ms + PLATFORM_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
  // One day of a big affiliate's orders at 1,000,000; wide enough for two pages when fewer.
  const mine = ORDERS * SHARE;
  const windowDays = Math.min(DAYS / 2, Math.max(1, Math.ceil((150 * DAYS) / mine)));
  const windows = Math.max(1, Math.floor(DAYS / windowDays) - 1);
  const pagesOfMine = Math.max(1, Math.min(20, Math.floor(mine / 50) - 1));
  const openApi = (window: number) => {
    const end = nowMs - window * windowDays * 86_400_000;
    const params: Record<string, string> = {
      app_key: credentials.appKey,
      method: 'aliexpress.affiliate.order.list',
      timestamp: String(Date.now()),
      sign_method: 'sha256',
      start_time: platform(end - windowDays * 86_400_000),
      end_time: platform(end),
      status: 'Payment Completed',
      page_size: '50',
      page_no: '2',
    };
    params.sign = openApiSignature(params, credentials.appSecret, 'sha256');
    return `${url}/sync?${new URLSearchParams(params)}`;
  };
  let cursor: string | null = null;
  const calls: [string, (i: number) => Promise<void>][] = [
    [
      'order.list, 50 of a day',
      async (i) => {
        const body = (await (await fetch(openApi(i % windows))).json()) as Record<
          string,
          { resp_result?: { result?: { current_record_count: number } } }
        >;
        const count =
          body.aliexpress_affiliate_order_list_response?.resp_result?.result?.current_record_count;
        if (count !== 50)
          throw new Error(`order.list answered ${JSON.stringify(body).slice(0, 300)}`);
      },
    ],
    [
      'GET /api/v1/orders, 50, next page',
      async (i) => {
        const res = await fetch(
          `${url}/api/v1/orders?limit=50${cursor && i % pagesOfMine !== 0 ? `&cursor=${cursor}` : ''}`,
          {
            headers: { authorization: `Bearer ${apiKey}` },
          },
        );
        const body = (await res.json()) as { orders?: unknown[]; next_cursor?: string | null };
        if (body.orders?.length !== 50)
          throw new Error(`/api/v1/orders answered ${JSON.stringify(body).slice(0, 300)}`);
        cursor = body.next_cursor ?? null;
      },
    ],
  ];
  for (const [name, call] of calls) {
    for (let i = 0; i < 30; i += 1) await call(i); // warm-up
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i += 1) {
      const t0 = performance.now();
      await call(i);
      times.push(performance.now() - t0);
    }
    times.sort((x, y) => x - y);
    const pct = (p: number) =>
      (times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] as number).toFixed(
        2,
      );
    const p95 = Number(pct(95));
    rows.push([
      database,
      name,
      REQUESTS,
      pct(50),
      pct(95),
      pct(99),
      ORDERS >= 1_000_000
        ? `p95 ≤ ${TARGET_P95_MS}: ${p95 <= TARGET_P95_MS ? 'met' : 'MISSED'}`
        : 'not judged: under 1,000,000 orders',
    ]);
  }
  server.kill('SIGTERM');
  await new Promise((resolve) => server.on('exit', resolve));
  // AFFNET_BENCH_KEEP=1 keeps the SQLite data directory, for looking into the queries.
  if (process.env.AFFNET_BENCH_KEEP) console.log(`${database}: kept ${dataDir}`);
  else fs.rmSync(dataDir, { recursive: true, force: true });
});

console.log(`\n${table(rows)}`);
