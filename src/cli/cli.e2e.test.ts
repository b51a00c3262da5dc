import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliSandbox, collect, waitForLine } from '../test/cli.js';

const database = process.env.DATABASE_URL ? 'postgres' : 'sqlite';

describe(`affnet command, end to end [${database}]`, () => {
  const sandbox = new CliSandbox();
  beforeAll(async () => {
    await sandbox.start();
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  // 10–16 s on SQLite and 24–28 s on PostgreSQL (event waves) on a quiet machine; before
  // the waves, a CI run on a machine loaded five times over took 180 s on PostgreSQL.
  it('seeds the demo program once, with 90 days of history the ledger audit passes', {
    timeout: 480_000,
  }, async () => {
    const seeded = await sandbox.run(['seed', '--demo']);
    expect(seeded.stderr).toBe('');
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toMatch(
      /seeded in \d+\.\d s: 10000 products in 104 categories from 50 stores, 25 affiliates/,
    );
    const history =
      /90 days of history: (\d+) clicks, (\d+) orders .*, 2 payout runs with (\d+) withdrawals, 1 refused by the bank/.exec(
        seeded.stdout,
      );
    expect(history).not.toBeNull();
    expect(Number(history?.[1])).toBeGreaterThan(100_000);
    expect(Number(history?.[2])).toBeGreaterThan(3_000);
    const audit = await sandbox.run(['ledger', 'audit']);
    expect(audit.stdout).toMatch(/the ledger balances/);
    expect(audit.code).toBe(0);
    expect((await sandbox.run(['reports', 'verify'])).code).toBe(0);
    expect(seeded.stdout).toContain('admin@affnet.local / demo-admin');
    expect(seeded.stdout).toContain('demo@affnet.local / demo-affiliate');
    expect(seeded.stdout).toContain('seller@affnet.local / demo-seller');
    const again = await sandbox.run(['seed', '--demo']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has accounts/);
  });

  it('lists the catalog as JSON lines with the rate and the rule behind it', async () => {
    const listed = await sandbox.run(['catalog', 'list', '--limit', '5', '--json']);
    expect(listed.code).toBe(0);
    const rows = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(row).toMatchObject({
        product_id: expect.any(String),
        title: expect.any(String),
        price_minor: expect.any(Number),
        currency: 'USD',
      });
      expect(row.url).toMatch(/^http:\/\/localhost:3000\/market\/item\/\d+\.html$/);
      expect(row.rule.kind).toMatch(/product|category|store_default|not_enrolled/);
      expect(Number.isInteger(row.rate_bp)).toBe(true);
    }
    expect(rows.some((r) => r.rule.kind === 'product' && r.rate_bp >= 1000)).toBe(true);
    const searched = await sandbox.run([
      'catalog',
      'list',
      '--search',
      'CASE',
      '--limit',
      '1000',
      '--json',
    ]);
    const titles = searched.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).title as string);
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.every((title) => /case/i.test(title))).toBe(true);
    const table = await sandbox.run(['plan', 'table', '--json']);
    const rates = table.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).rateBp as number);
    expect(rates).toHaveLength(8);
    expect(Math.min(...rates)).toBe(700);
    expect(Math.max(...rates)).toBe(1200);
    const bad = await sandbox.run(['catalog', 'list', '--limit', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--limit must be a whole number/);
  });

  it('creates an affiliate with credentials, and refuses a duplicate or bad input', async () => {
    const args = [
      'affiliate',
      'create',
      '--email',
      'cli@example.com',
      '--website',
      'https://cli.example',
      '--country',
      'nl',
      '--approve',
      '--json',
    ];
    const created = await sandbox.run(args);
    expect(created.code).toBe(0);
    const out = JSON.parse(created.stdout);
    expect(out).toMatchObject({
      id: expect.stringMatching(/^aff_/),
      status: 'approved',
      tracking_id: 'default',
    });
    expect(out.app_key).toMatch(/^\d{8}$/);
    expect(out.app_secret).toMatch(/^[0-9a-f]{32}$/);
    const duplicate = await sandbox.run(args);
    expect([duplicate.code, duplicate.stderr.trim()]).toEqual([
      1,
      'error [email_taken]: an account with cli@example.com already exists',
    ]);
    const bad = await sandbox.run([
      'affiliate',
      'create',
      '--email',
      'x@example.com',
      '--website',
      'ftp://x',
      '--country',
      'NL',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/error \[invalid_request\]: websiteUrl/);
    const missing = await sandbox.run(['affiliate', 'create', '--email', 'x@example.com']);
    expect(missing.code).toBe(2);
  });

  it('imports a catalog file with a progress bar, reporting bad rows by line', async () => {
    const file = path.join(sandbox.dataDir, 'import.csv');
    fs.writeFileSync(
      file,
      [
        'product_id,title,price_minor,currency,url,store_id,store_name,category_path',
        'imp-1,Desk lamp,2599,USD,https://market.affnet.test/item/imp-1.html,imp-store,Import Store,Home > Lamps',
        'imp-2,Bad price,12.5,USD,https://market.affnet.test/item/imp-2.html,imp-store,,Home > Lamps',
        'imp-3,Elsewhere,100,USD,https://other.example/item/imp-3.html,imp-store,,Home > Lamps',
      ].join('\n'),
    );
    const result = await sandbox.run(['catalog', 'import', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('read 3 rows: 1 created, 0 updated, 2 rejected');
    expect(result.stderr).toMatch(/line 3: price_minor: must be a whole number/);
    expect(result.stderr).toMatch(/line 4: other\.example is not a marketplace domain/);
    const missing = await sandbox.run([
      'catalog',
      'import',
      path.join(sandbox.dataDir, 'nope.csv'),
    ]);
    expect(missing.code).toBe(2);
  });

  it('sets rates within bounds and explains the rate of a product', async () => {
    const ok = await sandbox.run([
      'plan',
      'set',
      '--scope',
      'product',
      '--target',
      'imp-1',
      '--rate-bp',
      '900',
      '--json',
    ]);
    expect(ok.code).toBe(0);
    await sandbox.run(['plan', 'enroll', '--store', 'imp-store']);
    const rate = await sandbox.run(['plan', 'rate', 'imp-1', '--json']);
    expect(JSON.parse(rate.stdout)).toMatchObject({ rateBp: 900, rule: { kind: 'product' } });
    const high = await sandbox.run([
      'plan',
      'set',
      '--scope',
      'store',
      '--store',
      'imp-store',
      '--rate-bp',
      '6000',
    ]);
    expect([high.code, high.stderr]).toEqual([1, expect.stringMatching(/rate_out_of_bounds/)]);
    const setting = await sandbox.run(['settings', 'set', 'attributionWindowDays=0']);
    expect([setting.code, setting.stderr]).toEqual([1, expect.stringMatching(/invalid_setting/)]);
  });

  it('serves HTTP on the given port, answers /healthz, and stops on SIGTERM', async () => {
    const server = sandbox.spawn(['serve'], { PORT: '0' });
    const [, url] = await waitForLine(server, /listening on (http:\/\/[^\s]+)/);
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const exited = collect(server);
    server.kill('SIGTERM');
    expect((await exited).code).toBe(0);
  });

  it('exits with an error, instead of hanging, when its port is taken', async () => {
    const first = sandbox.spawn(['serve', '--no-jobs'], { PORT: '0' });
    const [, port] = await waitForLine(first, /listening on http:\/\/[^\s]+:(\d+)/);
    const second = await collect(sandbox.spawn(['serve', '--no-jobs'], { PORT: String(port) }));
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/EADDRINUSE/);
    const exited = collect(first);
    first.kill('SIGTERM');
    expect((await exited).code).toBe(0);
  });

  it('redirects through a link it made, and a graceful stop stores every click it answered', async () => {
    const listed = await sandbox.run(['catalog', 'list', '--limit', '1', '--json']);
    const product = JSON.parse(listed.stdout.trim().split('\n')[0] as string);
    const affiliate = (
      await sandbox.run([
        'affiliate',
        'create',
        '--email',
        'clicks@example.com',
        '--website',
        'https://c.example',
        '--country',
        'DE',
        '--approve',
        '--json',
      ])
    ).stdout;
    const affiliateId = JSON.parse(affiliate).id as string;
    const made = await sandbox.run([
      'link',
      'create',
      '--affiliate',
      affiliateId,
      '--url',
      product.url,
      '--json',
    ]);
    expect(made.code).toBe(0);
    const { code } = JSON.parse(made.stdout);
    const foreign = await sandbox.run([
      'link',
      'create',
      '--affiliate',
      affiliateId,
      '--url',
      'https://elsewhere.example/x',
    ]);
    expect([foreign.code, foreign.stderr]).toEqual([1, expect.stringMatching(/url_not_allowed/)]);

    const server = sandbox.spawn(['serve'], { PORT: '0' });
    const [, url] = await waitForLine(server, /listening on (http:\/\/[^\s]+)/);
    let redirects = 0;
    for (let round = 0; round < 20; round += 1) {
      const answers = await Promise.all(
        Array.from({ length: 25 }, () =>
          fetch(`${url}/c/${code}?sub1=e2e`, { redirect: 'manual' }),
        ),
      );
      redirects += answers.filter((r) => r.status === 302).length;
    }
    expect(redirects).toBe(500);
    const exited = collect(server);
    server.kill('SIGTERM');
    const { code: exitCode, stdout } = await exited;
    expect(exitCode).toBe(0);
    expect(stdout).toContain('answered 500 redirects, recorded 500 clicks, wrote 500');
    // The server ran on the system clock, so its clicks fall on the system's today.
    const day = (offset: number) =>
      new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const stats = await sandbox.run([
      'clicks',
      'stats',
      '--affiliate',
      affiliateId,
      '--from',
      day(-1),
      '--to',
      day(1),
      '--by',
      'sub1',
      '--json',
    ]);
    expect(JSON.parse(stats.stdout.trim())).toMatchObject({ key: 'e2e', clicks: 500 });
  });
});
