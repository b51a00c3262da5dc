// npm run bench:seed — how long the demo program takes to seed: what `npm start` does on an
// empty database (the catalog, 25 affiliates and 90 days of history), against the 30 s target.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cliEnv, freshPostgres, median, postgresUrl, table, timeCli } from './bench-util.js';

const TARGET_S = 30;
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number ≥ 1');

const results: (string | number)[][] = [
  ['database', 'runs', 'median s', 'max s', 'clicks', 'orders', 'events', 'withdrawals', 'target'],
];

await measure('sqlite', async () => undefined);
const base = await postgresUrl();
if (base) await measure('postgres', async () => await freshPostgres(base, 'affnet_bench_seed'));
else if (process.env.CI) throw new Error('PostgreSQL is not reachable');
else console.log('postgres: not reachable, skipped');
console.log(`\n${table(results)}`);

async function measure(
  database: string,
  fresh: () => Promise<{ url: string; drop(): Promise<void> } | undefined>,
): Promise<void> {
  const seconds: number[] = [];
  let history: string[] = [];
  for (let run = 0; run < runs; run += 1) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-bench-seed-'));
    const db = await fresh();
    try {
      const { ms, stdout } = await timeCli(['seed', '--demo'], cliEnv(dataDir, db?.url));
      seconds.push(ms / 1000);
      const line =
        /(\d+) clicks, (\d+) orders \((\d+) merchant events\), \d+ payout runs with (\d+) withdrawals/.exec(
          stdout,
        );
      history = line ? line.slice(1) : ['?', '?', '?', '?'];
      console.log(
        `${database} run ${run + 1}: ${(ms / 1000).toFixed(1)} s — ${stdout.split('\n')[0]}`,
      );
    } finally {
      await db?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const max = Math.max(...seconds);
  results.push([
    database,
    runs,
    median(seconds).toFixed(1),
    max.toFixed(1),
    ...history,
    `≤ ${TARGET_S} s ${max <= TARGET_S ? 'met' : 'MISSED'}`,
  ]);
}
