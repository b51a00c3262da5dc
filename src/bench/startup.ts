// npm run bench:startup — how long `npm start` takes to serve on an existing database.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliEnv, listeningUrl, median, onEachDatabase, table } from './bench-util.js';

const RUNS = 5;
const TARGET_MS = 2000;
const results: (string | number)[][] = [
  ['database', 'what', 'runs', 'median ms', 'max ms', 'target'],
];

await onEachDatabase('affnet_bench_startup', measure);
console.log(`\n${table(results)}`);

async function measure(database: string, databaseUrl: string | undefined): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-bench-startup-'));
  const env = cliEnv(dataDir, databaseUrl, { PORT: '0' });
  const first = await startAndStop(['npm', 'start', '--silent'], env);
  results.push([
    database,
    'npm start, empty database (migrate + demo seed)',
    1,
    first,
    first,
    'reported',
  ]);
  for (const [what, command] of [
    ['npm start, existing database', ['npm', 'start', '--silent']],
    ['affnet serve, existing database', [process.execPath, 'dist/cli/main.js', 'serve']],
  ] as const) {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run += 1) times.push(await startAndStop([...command], env));
    const max = Math.max(...times);
    results.push([
      database,
      what,
      RUNS,
      Math.round(median(times)),
      max,
      `≤ ${TARGET_MS} ${max <= TARGET_MS ? 'met' : 'MISSED'}`,
    ]);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/** Milliseconds from spawn until /healthz answers 200; then SIGTERM and wait for the exit. */
async function startAndStop(command: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = spawn(command[0] as string, command.slice(1), {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const url = await listeningUrl(child);
  const health = await fetch(`${url}/healthz`);
  if (health.status !== 200) throw new Error(`/healthz answered ${health.status}`);
  const ms = Math.round(performance.now() - started);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  process.kill(-(child.pid as number), 'SIGTERM');
  await exited;
  return ms;
}
