import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../clock.js';
import { CliSandbox, waitForLine } from '../test/cli.js';

const database = process.env.DATABASE_URL ? 'postgres' : 'sqlite';

describe(`affnet simulate against a running demo server [${database}]`, () => {
  const sandbox = new CliSandbox();
  let server: ChildProcess | undefined;
  let base = '';

  async function startServer() {
    server = sandbox.spawn(['serve', '--demo'], { PORT: '0' });
    const [, address] = (await waitForLine(server, /listening on (http:\/\/\S+)/)) as string[];
    base = address as string;
  }
  async function stopServer() {
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }

  beforeAll(async () => {
    await sandbox.start();
    expect((await sandbox.run(['seed', '--demo', '--no-history'])).code).toBe(0);
    await startServer();
  });
  afterAll(async () => {
    await stopServer();
    await sandbox.stop();
  });

  it('sends clicks and orders day by day and its summary agrees with the ledger', {
    timeout: 120_000,
  }, async () => {
    const started = Date.now();
    const run = await sandbox.run([
      'simulate',
      '--days',
      '3',
      '--affiliates',
      '4',
      '--clicks-per-day',
      '300',
      '--conversion',
      '0.05',
      '--url',
      base,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const clicks = /clicks: +(\d+) sent, (\d+) redirected, (\d+) stored/.exec(run.stdout);
    expect(clicks?.slice(1).map(Number)).toEqual([
      Number(clicks?.[1]),
      Number(clicks?.[1]),
      Number(clicks?.[1]),
    ]);
    expect(Number(clicks?.[1])).toBeGreaterThanOrEqual(890);
    const orders = /orders: +(\d+) paid, (\d+) attributed; (\d+) merchant events, 0 rejected/.exec(
      run.stdout,
    );
    expect(Number(orders?.[1])).toBeGreaterThan(10);
    expect(orders?.[2]).toBe(orders?.[1]);
    // Every click comes from this machine: one visitor, 36 to 144 clicks a day on each of the
    // four affiliates' links, so every order is a click flood (30 a day) and held for
    // review — the fraud signals at work, counted apart.
    const held = /held: +(\d+) sub-orders held for fraud review/.exec(run.stdout);
    expect(Number(held?.[1])).toBe(Number(orders?.[2]));
    expect(run.stdout).toMatch(/ledger: .*: agrees with the orders/);
    expect(run.stdout).toMatch(/ledger audit: \d+ transfers in \d+ accounts: the ledger balances/);

    const audit = await sandbox.run(['ledger', 'audit']);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(/the ledger balances/);

    // Three days ahead, and it stays ahead across a restart.
    const offset = Number(fs.readFileSync(path.join(sandbox.dataDir, 'demo-clock-offset'), 'utf8'));
    expect(offset).toBe(3 * DAY_MS);
    await stopServer();
    await startServer();
    const again = await sandbox.run([
      'simulate',
      '--days',
      '1',
      '--affiliates',
      '2',
      '--clicks-per-day',
      '20',
      '--url',
      base,
      '--json',
    ]);
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout) as {
      from: string;
      agrees: boolean;
      held: { subOrders: number };
    };
    expect(Date.parse(summary.from) - started).toBeGreaterThanOrEqual(3 * DAY_MS);
    expect(summary.agrees).toBe(true);
    // 20 clicks a day between two affiliates: no flood, nothing held.
    expect(summary.held.subOrders).toBe(0);
  });

  it('refuses bad options before touching anything, and a server without demo controls', async () => {
    for (const args of [
      ['--days', '0'],
      ['--days', 'x'],
      ['--affiliates', '-1'],
      ['--clicks-per-day', '1.5'],
      ['--conversion', '2'],
    ]) {
      const refused = await sandbox.run(['simulate', ...args, '--url', base]);
      expect({ args, code: refused.code }).toEqual({ args, code: 2 });
      expect(refused.stderr).toMatch(/must be/);
    }
    const offset = fs.readFileSync(path.join(sandbox.dataDir, 'demo-clock-offset'), 'utf8');
    const plain = sandbox.spawn(['serve'], { PORT: '0' });
    try {
      const [, address] = (await waitForLine(plain, /listening on (http:\/\/\S+)/)) as string[];
      const refused = await sandbox.run(['simulate', '--days', '1', '--url', address as string]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/no demo controls: start it with `affnet serve --demo`/);
    } finally {
      const exited = new Promise((resolve) => plain.once('exit', resolve));
      plain.kill('SIGTERM');
      await exited;
    }
    expect(fs.readFileSync(path.join(sandbox.dataDir, 'demo-clock-offset'), 'utf8')).toBe(offset);
  });
});
