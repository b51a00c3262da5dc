// npm run faults [-- --short] — kill -9 the server during a click flood, order-event ingest,
// settlement and a payout run; restart it; check that the ledger audits clean, every event
// and commission counts once, nobody is paid twice, and the clicks lost stay within the
// documented window. SQLite, then PostgreSQL (under CI a missing PostgreSQL fails the run).
import fs from 'node:fs';
import os from 'node:os';
import { onEachDatabase, table } from '../bench/bench-util.js';
import { type Check, check } from './checks.js';
import { clickFlood, LOSS_BOUND_MS } from './click-flood.js';
import { killStartedServers } from './fault-server.js';
import { SUB_ORDERS_PER_ORDER } from './order-events.js';
import { orderIngest } from './order-ingest.js';
import { payoutRun } from './payout-run.js';
import { settlement } from './settlement.js';
import { prepareWorld } from './world.js';

const SHORT = process.argv.includes('--short');
/** How much work each fault gets: enough that the kill lands while it is under way. */
const SIZE = SHORT
  ? { payees: 2000, killAfterClicks: 8000, orders: 2000, killAfterBatches: 2, limitMin: 12 }
  : { payees: 5000, killAfterClicks: 20_000, orders: 10_000, killAfterBatches: 10, limitMin: 60 };

// Bounded in time: past the limit the run fails and leaves no server behind.
setTimeout(() => {
  console.error(`faults: over ${SIZE.limitMin} minutes; giving up`);
  killStartedServers();
  process.exit(1);
}, SIZE.limitMin * 60_000).unref();

const n = (value: number) => value.toLocaleString('en');
const checks: (Check & { database: string })[] = [];
const floods: (string | number)[][] = [
  [
    'database',
    'req/s',
    'req/s at the kill',
    '302s received',
    'clicks stored',
    'lost',
    'lost as ms of traffic',
    'window at the kill (ms)',
    'stored, 302 not received',
  ],
];
const kills: (string | number)[][] = [
  ['database', 'fault', 'work', 'done at the kill', 'total', 'restart to done (s)'],
];
console.log(
  [
    `${SHORT ? 'short' : 'full'} run: ${n(SIZE.payees)} affiliates`,
    `kill after ${n(SIZE.killAfterClicks)} redirects`,
    `${n(SIZE.orders * 2)} events (${n(SIZE.orders * SUB_ORDERS_PER_ORDER)} sub-orders)`,
    `node ${process.version}, ${os.cpus().length} cores`,
  ].join('; '),
);

await onEachDatabase('affnet_faults', async (name, databaseUrl) => {
  const database = name === 'postgres' ? 'postgres' : 'sqlite';
  const record = (list: Check[]) => {
    for (const c of list) checks.push({ database, ...c });
  };
  const started = performance.now();
  const lap = (what: string) =>
    console.log(`${database}: ${what} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  let dataDir: string | undefined;
  try {
    const world = await prepareWorld(database, databaseUrl, SIZE.payees);
    dataDir = world.dataDir;
    lap(`seeded, ${world.payees.length} affiliates with links and bank accounts`);

    const flood = await clickFlood(world, SIZE.killAfterClicks);
    record(flood.checks);
    const f = flood.figures;
    floods.push([
      database,
      Math.round(f.requestsPerS),
      Math.round(f.rateAtKillPerS),
      f.received,
      f.stored,
      f.lost,
      f.lostMs.toFixed(0),
      f.windowMs.toFixed(0),
      f.unanswered,
    ]);
    lap(`a. click flood: ${f.received} 302s, ${f.lost} clicks lost`);

    const ingest = await orderIngest(world, flood.clicks, SIZE.orders, SIZE.killAfterBatches);
    record(ingest.checks);
    const i = ingest.figures;
    kills.push([
      database,
      'b. order-event ingest',
      'events stored',
      i.storedAtKill,
      i.events,
      i.resendS.toFixed(1),
    ]);
    lap(`b. ingest: ${i.storedAtKill} of ${i.events} events stored at the kill`);

    const settle = await settlement(world);
    record(settle.checks);
    const s = settle.figures;
    kills.push([
      database,
      'c. settlement',
      'sub-orders settled',
      s.settledAtKill,
      s.subOrders,
      s.resumedS.toFixed(1),
    ]);
    lap(`c. settlement: ${s.settledAtKill} of ${s.subOrders} settled at the kill`);

    const payout = await payoutRun(world);
    record(payout.checks);
    const p = payout.figures;
    kills.push([
      database,
      `d. payout run ${p.period}`,
      'withdrawals',
      p.paidAtKill,
      p.payees,
      p.resumedS.toFixed(1),
    ]);
    lap(`d. payout run: ${p.paidAtKill} of ${p.payees} paid at the kill`);
  } catch (error) {
    killStartedServers();
    record([check('-', 'the fault run completed', String(error).slice(0, 300), 'no error', false)]);
    console.error(error);
  } finally {
    const failed = checks.some((c) => c.database === database && !c.ok);
    if (dataDir && failed) console.log(`${database}: data kept in ${dataDir}`);
    else if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

console.log(
  [
    '\nClicks lost at the kill. The window is what memory held, from the last commit but one to',
    `the kill: a flush window and the batch being committed (${LOSS_BOUND_MS} ms while the writes`,
    'keep up).',
    table(floods),
  ].join('\n'),
);
console.log(`\nWork done when the kill landed\n${table(kills)}`);
console.log(
  `\n${table([
    ['database', 'phase', 'check', 'measured', 'expected', 'result'],
    ...checks.map((c) => [
      c.database,
      c.phase,
      c.check,
      c.measured,
      c.expected,
      c.ok ? 'ok' : 'FAILED',
    ]),
  ])}`,
);
const failed = checks.filter((c) => !c.ok).length;
console.log(`\n${checks.length} checks, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
