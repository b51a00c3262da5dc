// npm run bench:orders [-- --sub-orders N] — order.paid ingest through the signed HTTP API
// (3 sub-orders per event, batches of 100), then settlement of every sub-order by the jobs;
// SQLite, then PostgreSQL.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '../db/connection.js';
import { signMerchantPayload } from '../orders/merchant-signature.js';
import {
  CLI,
  cliEnv,
  listeningUrl,
  onEachDatabase,
  profileArgs,
  table,
  timeCli,
} from './bench-util.js';

const TARGETS = { sqliteEventsPerS: 5000, postgresEventsPerS: 2000, sqliteSettledPerS: 50_000 };
const subOrdersArg = process.argv.indexOf('--sub-orders');
const SUB_ORDERS = subOrdersArg > 0 ? Number(process.argv[subOrdersArg + 1]) : 1_000_000;
const ORDERS = Math.ceil(SUB_ORDERS / 3);
const BATCH = 100;
const CONCURRENCY = 4;
// The figure is for 1,000,000 sub-orders; a smaller run shows the script works.
const JUDGED = SUB_ORDERS >= 1_000_000;
const SECRET = 'msk_bench_secret_0123456789abcdef';
// Paid now (after the click), and confirmed by the buyers once every order is in: with the
// program's default settlement delay (the next daily run) the sub-orders then wait for
// settlement. The server runs with --no-jobs, so nothing settles while the bench sends;
// the measured run is `affnet jobs run` a day later.
const times = () => {
  const paidMs = Date.now();
  return {
    paidAt: new Date(paidMs).toISOString(),
    jobsAt: new Date(paidMs + 86_400_000).toISOString(),
  };
};

const rows: (string | number)[][] = [
  ['database', 'step', 'count', 'seconds', 'per second', 'target'],
];
console.log(
  `${ORDERS.toLocaleString('en')} orders × 3 = ${(ORDERS * 3).toLocaleString('en')} sub-orders; batches of ${BATCH}, ${CONCURRENCY} in flight; node ${process.version}, ${os.cpus().length} cores`,
);

await onEachDatabase('affnet_bench_orders', async (database, databaseUrl) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-bench-orders-'));
  const env = cliEnv(dataDir, databaseUrl, { PORT: '0', AFFNET_MERCHANT_SECRET: SECRET });
  const seeded = await timeCli(['seed', '--demo', '--no-history'], env);
  const affiliateId = /\(id (aff_[0-9a-z]+)\)/.exec(seeded.stdout)?.[1] as string;
  const products = (await timeCli(['catalog', 'list', '--limit', '1000', '--json'], env)).stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { product_id: string; rate_bp: number })
    // Products that pay commission: every sub-order books, settles and audits.
    .filter((p) => p.rate_bp > 0)
    .map((p) => p.product_id);
  const link = JSON.parse(
    (
      await timeCli(
        [
          'link',
          'create',
          '--affiliate',
          affiliateId,
          '--url',
          `https://market.affnet.test/item/${products[0]}.html`,
          '--json',
        ],
        env,
      )
    ).stdout,
  ) as { code: string };

  const server = await start(env);
  // One real click through the redirect: every order is attributed to it.
  const redirect = await fetch(`${server.url}/c/${link.code}`, { redirect: 'manual' });
  const clickId = /aff_click_id=([0-9a-z]+)/.exec(
    redirect.headers.get('location') ?? '',
  )?.[1] as string;
  await waitForClick(databaseUrl, dataDir, clickId);
  // Paid more than fraudClickInjectionSeconds (10 s) after the click: orders paid sooner are
  // held for review (click injection) and would not settle. Every fraud signal is still
  // judged for every order; none is raised.
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  const { paidAt: PAID_AT, jobsAt: JOBS_AT } = times();

  const paid = await send(server.url, (i) => ({
    id: `paid-${i}`,
    type: 'order.paid',
    created_at: PAID_AT,
    data: {
      order_id: `bench-${i}`,
      sub_orders: [0, 1, 2].map((k) => ({
        sub_order_id: `bench-${i}-${k}`,
        product_id: products[(i * 3 + k) % products.length],
        quantity: 1 + (k % 2),
        unit_price_minor: 999 + ((i + k) % 5000),
        currency: 'USD',
      })),
      buyer_id: `buyer-${i % 10_000}`,
      is_new_buyer: i % 7 === 0,
      ship_to_country: 'DE',
      shipping_method: 'DHL',
      click_id: clickId,
      paid_at: PAID_AT,
    },
  }));
  const ingestTarget =
    database === 'sqlite' ? TARGETS.sqliteEventsPerS : TARGETS.postgresEventsPerS;
  rows.push([
    database,
    'ingest order.paid (HTTP)',
    ORDERS,
    paid.seconds.toFixed(2),
    Math.round(ORDERS / paid.seconds),
    verdict(ORDERS / paid.seconds, ingestTarget),
  ]);
  const CONFIRMED_AT = new Date().toISOString();
  const confirmed = await send(server.url, (i) => ({
    id: `confirmed-${i}`,
    type: 'order.receipt_confirmed',
    created_at: PAID_AT,
    data: { order_id: `bench-${i}`, confirmed_at: CONFIRMED_AT },
  }));
  rows.push([
    database,
    'ingest receipt_confirmed (HTTP)',
    ORDERS,
    confirmed.seconds.toFixed(2),
    Math.round(ORDERS / confirmed.seconds),
    'reported',
  ]);
  await stop(server.child);
  // AFFNET_BENCH_KEEP=1 keeps the data directory, with a copy of the SQLite database as it
  // was before settlement, for running `affnet jobs run --now …` on it again.
  const keep = process.env.AFFNET_BENCH_KEEP === '1';
  if (keep && !databaseUrl) {
    fs.copyFileSync(path.join(dataDir, 'affnet.db'), path.join(dataDir, 'before-jobs.db'));
    console.log(`${database}: kept ${dataDir} (jobs at ${JOBS_AT})`);
  }

  const jobs = await timeCli(['jobs', 'run', '--now', JOBS_AT, '--json'], env);
  const report = JSON.parse(jobs.stdout) as { settled: number };
  if (report.settled !== ORDERS * 3) {
    console.log((await timeCli(['orders', 'show', 'bench-0', '--json'], env)).stdout);
    throw new Error(`settled ${report.settled} of ${ORDERS * 3}: ${jobs.stdout}`);
  }
  const seconds = jobs.ms / 1000;
  rows.push([
    database,
    'settle sub-orders (affnet jobs run)',
    report.settled,
    seconds.toFixed(2),
    Math.round(report.settled / seconds),
    database === 'sqlite'
      ? verdict(report.settled / seconds, TARGETS.sqliteSettledPerS)
      : 'reported',
  ]);
  const audit = await timeCli(['ledger', 'audit', '--json'], env);
  console.log(`${database}: ${audit.stdout.trim()}`);
  if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
});
console.log(`\n${table(rows)}`);

function verdict(rate: number, target: number): string {
  if (!JUDGED)
    return `not judged: under 1,000,000 sub-orders (target ≥ ${target.toLocaleString('en')})`;
  return `≥ ${target.toLocaleString('en')} ${rate >= target ? 'met' : 'MISSED'}`;
}

/** Posts ORDERS events made by `make`, BATCH per signed request, CONCURRENCY requests at a time. */
async function send(url: string, make: (i: number) => unknown): Promise<{ seconds: number }> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < ORDERS) {
      const from = next;
      next = Math.min(ORDERS, next + BATCH);
      const events = [];
      for (let i = from; i < next; i += 1) events.push(make(i));
      const body = JSON.stringify({ events });
      const response = await fetch(`${url}/api/merchant/v1/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'affnet-signature': signMerchantPayload(SECRET, body, Math.floor(Date.now() / 1000)),
        },
        body,
      });
      const result = (await response.json()) as { accepted: number; results: unknown[] };
      if (response.status !== 200 || result.accepted !== events.length)
        throw new Error(
          `batch refused: ${response.status} ${JSON.stringify(result).slice(0, 500)}`,
        );
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { seconds: (performance.now() - started) / 1000 };
}

async function waitForClick(
  databaseUrl: string | undefined,
  dataDir: string,
  clickId: string,
): Promise<void> {
  const connection = connect({ databaseUrl, sqliteFile: path.join(dataDir, 'affnet.db') });
  try {
    for (let i = 0; i < 100; i += 1) {
      const row = await connection.db
        .selectFrom('clicks')
        .select('id')
        .where('id', '=', clickId)
        .executeTakeFirst();
      if (row) return;
      await new Promise((resolve) => setTimeout(resolve, 100)); // the recorder flushes every 200 ms
    }
    throw new Error(`click ${clickId} was not stored`);
  } finally {
    await connection.close();
  }
}

async function start(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...profileArgs(), CLI, 'serve', '--no-jobs'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, url: await listeningUrl(child) };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
