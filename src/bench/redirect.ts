// npm run bench:redirect [-- --seconds N] — the redirect against bare node:http, A B C A B C,
// on SQLite then PostgreSQL; then a graceful stop and a count of the clicks stored. The
// third server, "floor", is affnet's redirect handler on bare node:http with a recorder
// that keeps nothing (floor-redirect-server.ts): what a tracked redirect costs on this
// machine before any click is stored, measured in the same run.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '../db/connection.js';
import { CLI, cliEnv, listeningUrl, onEachDatabase, table, timeCli } from './bench-util.js';
import { type LoadResult, load, loadTool } from './load.js';

const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 10;
const CONNECTIONS = 64;
const TARGETS = { ratio: 0.8, p99Ms: 5, rssMb: 250 };
const tool = await loadTool();
const runs: (string | number)[][] = [
  ['database', 'server', 'run', 'requests/s', 'p50 ms', 'p99 ms', 'non-3xx'],
];
const summary: (string | number)[][] = [
  [
    'database',
    'affnet / bare',
    'floor / bare',
    'affnet p99 ms',
    'affnet RSS MB',
    '302s answered',
    'clicks stored',
    'lost',
    'verdict',
  ],
];
console.log(
  `load: ${tool}, ${CONNECTIONS} connections, ${SECONDS} s a run, A B C A B C; node ${process.version}, ${os.cpus().length} cores`,
);

await onEachDatabase('affnet_bench_redirect', async (database, databaseUrl) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-bench-redirect-'));
  const env = cliEnv(dataDir, databaseUrl, { PORT: '0' });
  const seeded = await timeCli(['seed', '--demo', '--no-history'], env);
  const affiliateId = /\(id (aff_[0-9a-z]+)\)/.exec(seeded.stdout)?.[1] as string;
  const product = JSON.parse(
    (await timeCli(['catalog', 'list', '--limit', '1', '--json'], env)).stdout,
  );
  const made = JSON.parse(
    (
      await timeCli(
        ['link', 'create', '--affiliate', affiliateId, '--url', product.url, '--json'],
        env,
      )
    ).stdout,
  );

  const bare = await start(
    process.execPath,
    [path.resolve('dist/bench/bare-redirect-server.js')],
    env,
  );
  const floor = await start(
    process.execPath,
    [path.resolve('dist/bench/floor-redirect-server.js'), product.url],
    env,
  );
  const affnet = await start(process.execPath, [CLI, 'serve'], env);
  const results: Record<'bare' | 'floor' | 'affnet', LoadResult[]> = {
    bare: [],
    floor: [],
    affnet: [],
  };
  let rssMb = 0;
  for (let round = 1; round <= 2; round += 1) {
    for (const [name, server] of [
      ['bare', bare],
      ['floor', floor],
      ['affnet', affnet],
    ] as const) {
      const sampler =
        name === 'affnet'
          ? sampleRss(affnet.child.pid as number, (mb) => (rssMb = Math.max(rssMb, mb)))
          : () => {};
      const result = await load(
        tool,
        `${server.url}/c/${made.code}?sub1=bench`,
        CONNECTIONS,
        SECONDS,
      );
      sampler();
      results[name].push(result);
      runs.push([
        database,
        name,
        round,
        Math.round(result.requestsPerS),
        result.p50Ms.toFixed(2),
        result.p99Ms.toFixed(2),
        result.non3xx,
      ]);
      console.log(
        `${database} ${name} run ${round}: ${Math.round(result.requestsPerS)} req/s, p99 ${result.p99Ms.toFixed(2)} ms`,
      );
    }
  }
  await stop(bare.child);
  await stop(floor.child);
  const stopped = await stop(affnet.child);
  const answered = Number(/answered (\d+) redirects/.exec(stopped)?.[1]);
  const connection = connect({ databaseUrl, sqliteFile: path.join(dataDir, 'affnet.db') });
  const stored = Number(
    (
      await connection.db
        .selectFrom('clicks')
        .select((eb) => eb.fn.countAll<bigint>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  await connection.close();

  const mean = (list: LoadResult[], pick: (r: LoadResult) => number) =>
    list.reduce((sum, r) => sum + pick(r), 0) / list.length;
  const ratio =
    mean(results.affnet, (r) => r.requestsPerS) / mean(results.bare, (r) => r.requestsPerS);
  const floorRatio =
    mean(results.floor, (r) => r.requestsPerS) / mean(results.bare, (r) => r.requestsPerS);
  const p99 = Math.max(...results.affnet.map((r) => r.p99Ms));
  // Runs shorter than the 10 s show that the script works; they are not judged.
  const verdict =
    SECONDS < 10
      ? 'not judged: runs under 10 s'
      : [
          ratio >= TARGETS.ratio ? 'ratio met' : 'ratio MISSED',
          p99 <= TARGETS.p99Ms ? 'p99 met' : 'p99 MISSED',
          rssMb <= TARGETS.rssMb ? 'RSS met' : 'RSS MISSED',
          answered === stored ? 'no click lost' : 'CLICKS LOST',
        ].join(', ');
  if (answered !== stored) process.exitCode = 1;
  summary.push([
    database,
    ratio.toFixed(3),
    floorRatio.toFixed(3),
    p99.toFixed(2),
    rssMb.toFixed(0),
    answered,
    stored,
    answered - stored,
    verdict,
  ]);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

console.log(
  `\n${table(runs)}\n\ntargets: ratio ≥ ${TARGETS.ratio}, p99 ≤ ${TARGETS.p99Ms} ms, RSS ≤ ${TARGETS.rssMb} MB, zero clicks lost on a graceful stop\n${table(summary)}`,
);

type Started = { child: ChildProcess; url: string };

async function start(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return { child, url: await listeningUrl(child) };
}

/** SIGTERM, then everything it printed on stdout until it exited. */
function stop(child: ChildProcess): Promise<string> {
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve(out));
    child.kill('SIGTERM');
  });
}

/** Reads the process's resident set size every 250 ms; returns the function that stops it. */
function sampleRss(pid: number, report: (mb: number) => void): () => void {
  const timer = setInterval(() => {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
    report(kb / 1024);
  }, 250);
  return () => clearInterval(timer);
}
