// npm run bench:reports [-- --clicks N --orders N --products N --requests N] — the dashboard's
// requests (GET /api/v1/reports/…) for the largest of 25 affiliates, with N clicks (default
// 10,000,000) and N orders (default 1,000,000, one sub-order each) over 95 days, on SQLite
// then PostgreSQL: p50 / p95 / p99 of sequential requests over loopback with keep-alive
// (client-side time) and the server's own time from arrival to answer (the Server-Timing
// header the report routes send), against p95 ≤ 50 ms of server time.
// AFFNET_BENCH_REUSE=DIR keeps the generated data in DIR and uses it again on the next run
// of the same size (SQLite in DIR/sqlite, PostgreSQL in a database named in DIR).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  CLI,
  cliEnv,
  freshPostgres,
  listeningUrl,
  onEachDatabase,
  postgresUrl,
  table,
  timeCli,
} from './bench-util.js';
import { type BulkLoader, postgresLoader, sqliteLoader } from './bulk-loader.js';
import { generateReportsData, type ReportsData, type ReportsDataSize } from './reports-data.js';

const option = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const SIZE: ReportsDataSize = {
  clicks: option('clicks', 10_000_000),
  orders: option('orders', 1_000_000),
  days: 95,
  affiliates: 25,
  products: option('products', 1200),
};
const REQUESTS = option('requests', 500);
const WARM_UP = 30;
const TARGET_P95_MS = 50;
const JUDGED = SIZE.clicks >= 10_000_000 && SIZE.orders >= 1_000_000;
const rows: (string | number)[][] = [
  [
    'database',
    'request',
    'requests',
    'server p50 ms',
    'server p95 ms',
    'server p99 ms',
    'client p95 ms',
    'target (server p95)',
  ],
];
console.log(
  `${SIZE.clicks.toLocaleString('en')} clicks and ${SIZE.orders.toLocaleString('en')} orders over ${SIZE.days} days, ${SIZE.affiliates} affiliates (the measured one has 40%), ${SIZE.products.toLocaleString('en')} products; ${REQUESTS} requests per endpoint; node ${process.version}, ${os.cpus().length} cores`,
);

/** The requests the portal's dashboard makes, each checked for an answer with data in it. */
const ENDPOINTS: [string, string, (body: Record<string, unknown>) => boolean][] = [
  ['dashboard', '/api/v1/reports/dashboard', (b) => has(b, 'this_month', 'leads')],
  ['daily, 30 days', '/api/v1/reports/daily?days=30', (b) => (b.days as unknown[]).length === 30],
  ['daily, 90 days', '/api/v1/reports/daily?days=90', (b) => (b.days as unknown[]).length === 90],
  [
    'top products, this month',
    '/api/v1/reports/top-products?limit=10',
    (b) => (b.products as unknown[]).length > 0,
  ],
  [
    'top products, last month',
    '/api/v1/reports/top-products?period=last_month&limit=10',
    (b) => (b.products as unknown[]).length === 10,
  ],
  [
    'breakdown by tracking id',
    '/api/v1/reports/breakdown?by=tracking_id',
    (b) => (b.rows as unknown[]).length === 5,
  ],
  [
    'breakdown by sub1',
    '/api/v1/reports/breakdown?by=sub1',
    (b) => (b.rows as unknown[]).length > 1,
  ],
];
const has = (body: Record<string, unknown>, key: string, field: string) =>
  Number((body[key] as Record<string, unknown> | undefined)?.[field]) > 0;

await eachDatabase(async (database, databaseUrl, dataDir) => {
  const env = cliEnv(dataDir, databaseUrl, { PORT: '0' });
  const data = await prepare(database, databaseUrl, dataDir, env);
  // The rollups are what the dashboard reads: check them against the sub-orders first.
  const verify = await timeCli(
    ['reports', 'verify', '--affiliate', data.affiliateId, '--json'],
    env,
  );
  const check = JSON.parse(verify.stdout) as { ok: boolean; rows: number };
  console.log(
    `${database}: affnet reports verify --affiliate (the large one): ${check.ok ? 'rollups equal the sub-orders' : 'DIFFERENCES'}, ${check.rows} rollup rows, ${(verify.ms / 1000).toFixed(1)} s`,
  );
  if (!check.ok) throw new Error(`rollups differ: ${verify.stdout.slice(0, 1000)}`);

  const server = spawn(process.execPath, [CLI, 'serve', '--no-jobs'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await listeningUrl(server);
    const headers = { authorization: `Bearer ${data.apiKey}` };
    /** Times `call` (which returns the server's own time) REQUESTS times, after a warm-up. */
    const measure = async (name: string, call: () => Promise<number>) => {
      for (let i = 0; i < WARM_UP; i += 1) await call();
      const client: number[] = [];
      const server: number[] = [];
      for (let i = 0; i < REQUESTS; i += 1) {
        const t0 = performance.now();
        server.push(await call());
        client.push(performance.now() - t0);
      }
      const s = percentiles(server);
      const c = percentiles(client);
      rows.push([
        database,
        name,
        REQUESTS,
        s(50).toFixed(2),
        s(95).toFixed(2),
        s(99).toFixed(2),
        c(95).toFixed(2),
        JUDGED
          ? `p95 ≤ ${TARGET_P95_MS}: ${s(95) <= TARGET_P95_MS ? 'met' : 'MISSED'}`
          : 'not judged: under 10,000,000 clicks / 1,000,000 orders',
      ]);
    };
    const serverTime = (res: Response, route: string): number => {
      const timing = /dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '');
      if (!timing) throw new Error(`${route} sent no Server-Timing`);
      return Number(timing[1]);
    };
    for (const [name, route, valid] of ENDPOINTS) {
      await measure(name, async () => {
        const res = await fetch(`${url}${route}`, { headers });
        const body = (await res.json()) as Record<string, unknown>;
        if (res.status !== 200 || !valid(body))
          throw new Error(`${route} answered ${res.status} ${JSON.stringify(body).slice(0, 400)}`);
        return serverTime(res, route);
      });
    }
    // The portal's own dashboard page, as the demo affiliate (the large one) sees it: every
    // figure of the page in one request (periods, the chart's days, top products, both
    // breakdowns, balances, latest orders).
    const cookie = await logIn(url, 'demo@affnet.local', 'demo-affiliate');
    for (const route of ['/dashboard', '/dashboard?days=90']) {
      await measure(`portal page ${route}`, async () => {
        const res = await fetch(`${url}${route}`, { headers: { cookie } });
        const body = await res.text();
        if (res.status !== 200 || !body.includes('data-period="today"'))
          throw new Error(`${route} answered ${res.status} ${body.slice(0, 300)}`);
        return serverTime(res, route);
      });
    }

    // Not a dashboard request: the export of 30 days of the large affiliate's orders.
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
    const t0 = performance.now();
    const csv = await (
      await fetch(`${url}/api/v1/reports/orders.csv?from=${from}&to=${to}`, { headers })
    ).text();
    const seconds = (performance.now() - t0) / 1000;
    const lines = csv.split('\r\n').length - 2;
    console.log(
      `${database}: orders.csv of 30 days: ${lines.toLocaleString('en')} rows, ${(csv.length / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s (${Math.round(lines / seconds).toLocaleString('en')} rows/s)`,
    );
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.on('exit', resolve));
  }
});

console.log(`\n${table(rows)}`);

/** Logs in through the portal's form (its CSRF token included); returns the Cookie header. */
async function logIn(url: string, email: string, password: string): Promise<string> {
  const form = await fetch(`${url}/login`);
  const visitor = /affnet_csrf=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')?.[1] ?? '';
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const res = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: `affnet_csrf=${visitor}`,
    },
    body: new URLSearchParams({ _csrf: token, email, password }).toString(),
  });
  const session = /affnet_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (res.status !== 303 || !session) throw new Error(`log-in as ${email} answered ${res.status}`);
  return `affnet_session=${session}`;
}

function percentiles(values: number[]): (p: number) => number {
  const sorted = [...values].sort((x, y) => x - y);
  return (p) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** The data set: generated now, or the one kept in AFFNET_BENCH_REUSE from an earlier run. */
async function prepare(
  database: string,
  databaseUrl: string | undefined,
  dataDir: string,
  env: NodeJS.ProcessEnv,
): Promise<ReportsData> {
  const marker = path.join(dataDir, `bench-reports-${database}.json`);
  if (fs.existsSync(marker)) {
    const kept = JSON.parse(fs.readFileSync(marker, 'utf8')) as ReportsData & {
      size: ReportsDataSize;
      generatedAt: string;
    };
    if (JSON.stringify(kept.size) === JSON.stringify(SIZE)) {
      console.log(`${database}: using the data generated at ${kept.generatedAt} in ${dataDir}`);
      return kept;
    }
    throw new Error(`${dataDir} holds data of another size: use another AFFNET_BENCH_REUSE`);
  }
  const started = performance.now();
  const seeded = await timeCli(['seed', '--demo', '--no-history'], env);
  const affiliateId = /\(id (aff_[0-9a-z]+)\)/.exec(seeded.stdout)?.[1] as string;
  const loader = (): BulkLoader =>
    databaseUrl ? postgresLoader(databaseUrl) : sqliteLoader(path.join(dataDir, 'affnet.db'));
  const data = await generateReportsData(env, SIZE, affiliateId, loader);
  if (databaseUrl) {
    // Statistics and the visibility map, as autovacuum would leave them after a bulk load.
    const t0 = performance.now();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query('vacuum analyze');
    await client.end();
    data.seconds['vacuum analyze'] = (performance.now() - t0) / 1000;
  }
  const total = (performance.now() - started) / 1000;
  console.log(
    `${database}: generated in ${total.toFixed(1)} s (${Object.entries(data.seconds)
      .map(([step, s]) => `${step}: ${s.toFixed(1)} s`)
      .join('; ')})`,
  );
  fs.writeFileSync(
    marker,
    JSON.stringify({ ...data, size: SIZE, generatedAt: new Date().toISOString() }),
  );
  return data;
}

/**
 * onEachDatabase with a scratch data directory; with AFFNET_BENCH_REUSE the directory and
 * the PostgreSQL database are kept for the next run instead.
 */
async function eachDatabase(
  measure: (database: string, databaseUrl: string | undefined, dataDir: string) => Promise<void>,
): Promise<void> {
  const reuse = process.env.AFFNET_BENCH_REUSE;
  if (!reuse)
    return onEachDatabase('affnet_bench_reports', async (database, databaseUrl) => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-bench-reports-'));
      try {
        await measure(database, databaseUrl, dataDir);
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  const only = process.env.AFFNET_BENCH_DATABASES;
  if (only !== 'postgres') {
    const dir = path.join(reuse, 'sqlite');
    fs.mkdirSync(dir, { recursive: true });
    await measure('sqlite', undefined, dir);
  }
  if (only === 'sqlite') return;
  const base = await postgresUrl();
  if (!base) {
    console.log('postgres: not reachable, skipped');
    return;
  }
  const named = path.join(reuse, 'postgres-url.txt');
  if (!fs.existsSync(named))
    fs.writeFileSync(named, (await freshPostgres(base, 'affnet_bench_reports')).url);
  const dir = path.join(reuse, 'postgres');
  fs.mkdirSync(dir, { recursive: true });
  await measure('postgres', fs.readFileSync(named, 'utf8').trim(), dir);
}
