// npm run bench:crash-window — how many clicks a crash loses: flood the redirect, kill -9
// the server mid-flood, restart it (it replays its spill), stop it gracefully, and compare
// the 302s the clients received with the clicks stored.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { connect } from '../db/connection.js';
import { CLI, cliEnv, listeningUrl, onEachDatabase, table, timeCli } from './bench-util.js';

const FLOOD_MS = 3000;
const CLIENTS = 32;
const FLUSH_WINDOW_MS = 200;
const rows: (string | number)[][] = [
  [
    'database',
    'run',
    'req/s',
    '302s received',
    'clicks stored',
    'lost',
    'lost as ms of traffic',
    'bound',
  ],
];

await onEachDatabase('affnet_bench_crash', async (database, databaseUrl) => {
  for (let run = 1; run <= 3; run += 1) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-crash-'));
    const env = cliEnv(dataDir, databaseUrl, { PORT: '0' });
    if (run === 1 || !databaseUrl)
      await timeCli(['seed', '--demo', '--no-history'], env).catch(() => undefined);
    const affiliate = JSON.parse(
      (
        await timeCli(
          [
            'affiliate',
            'create',
            '--email',
            `crash${run}-${Date.now()}@example.com`,
            '--website',
            'https://x.example',
            '--country',
            'DE',
            '--approve',
            '--json',
          ],
          env,
        )
      ).stdout,
    );
    const product = JSON.parse(
      (await timeCli(['catalog', 'list', '--limit', '1', '--json'], env)).stdout,
    );
    const link = JSON.parse(
      (
        await timeCli(
          ['link', 'create', '--affiliate', affiliate.id, '--url', product.url, '--json'],
          env,
        )
      ).stdout,
    );

    const server = spawn(process.execPath, [CLI, 'serve'], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await listeningUrl(server);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
    let received = 0;
    let alive = true;
    const started = performance.now();
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (alive) {
        const status = await get(`${url}/c/${link.code}`, agent);
        if (status === undefined) return; // the server is gone
        if (status === 302) received += 1;
      }
    });
    await new Promise((resolve) => setTimeout(resolve, FLOOD_MS));
    const exited = new Promise((resolve) => server.on('exit', resolve));
    server.kill('SIGKILL');
    await exited;
    const floodMs = performance.now() - started;
    alive = false;
    await Promise.all(clients);
    agent.destroy();

    // Restart (replays any spill file), then stop gracefully.
    const restarted = spawn(process.execPath, [CLI, 'serve'], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await listeningUrl(restarted);
    const stopped = new Promise((resolve) => restarted.on('exit', resolve));
    restarted.kill('SIGTERM');
    await stopped;

    const connection = connect({ databaseUrl, sqliteFile: path.join(dataDir, 'affnet.db') });
    const stored = Number(
      (
        await connection.db
          .selectFrom('clicks')
          .select((eb) => eb.fn.countAll<bigint>().as('n'))
          .where('affiliate_id', '=', affiliate.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
    await connection.close();
    const rate = received / (floodMs / 1000);
    const lost = Math.max(0, received - stored);
    rows.push([
      database,
      run,
      Math.round(rate),
      received,
      stored,
      lost,
      ((lost / rate) * 1000).toFixed(0),
      `≤ ${FLUSH_WINDOW_MS} ms + the batch being committed`,
    ]);
    console.log(`${database} run ${run}: ${received} received, ${stored} stored, ${lost} lost`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
console.log(`\n${table(rows)}`);

function get(url: string, agent: http.Agent): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
      res.on('error', () => resolve(undefined));
    });
    req.on('error', () => resolve(undefined));
  });
}
