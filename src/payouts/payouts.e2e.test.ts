import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBankAccount } from '../affiliates/bank-accounts.js';
import { setAffiliateStatus } from '../affiliates/set-affiliate-status.js';
import { signUp } from '../affiliates/sign-up.js';
import { ManualClock } from '../clock.js';
import { loadConfig } from '../config.js';
import { type AppContext, openContext } from '../context.js';
import { createTransfersBatch } from '../ledger/create-transfers-batch.js';
import { PROGRAM_OWNER } from '../ledger/schema.js';
import { createLogger } from '../log.js';
import { CliSandbox, collect } from '../test/cli.js';
import { GERMAN_IBAN } from '../test/payouts.js';

const database = process.env.DATABASE_URL ? 'postgres' : 'sqlite';
const PAYEES = 600;
const EARNED = 3000n;

/**
 * The payout commands as an operator runs them, against a database the test seeds itself
 * (clock fixed in January 2026, so the January run pays what it seeded).
 */
describe(`payouts, end to end [${database}]`, () => {
  const sandbox = new CliSandbox();
  let ctx: AppContext;
  const payees: string[] = [];

  beforeAll(async () => {
    await sandbox.start();
    const clock = new ManualClock('2026-01-15T10:00:00.000Z');
    ctx = await openContext(loadConfig(sandbox.env()), createLogger('silent'), clock);
    for (let i = 0; i < PAYEES; i += 1) {
      const a = await signUp(ctx, {
        email: `payee${i}@example.com`,
        country: 'DE',
        websiteUrl: 'https://blog.example',
      });
      await setAffiliateStatus(ctx, a.id, 'approved');
      await setBankAccount(ctx, a.id, {
        iban: GERMAN_IBAN,
        holderName: `Payee ${i}`,
        country: 'DE',
      });
      payees.push(a.id);
    }
    await createTransfersBatch(
      ctx,
      payees.map((id) => ({
        kind: 'posted' as const,
        key: `e2e-earning-${id}`,
        debit: { kind: 'commission_expense' as const, ownerId: PROGRAM_OWNER, currency: 'USD' },
        credit: { kind: 'affiliate' as const, ownerId: id, currency: 'USD' },
        amountMinor: EARNED,
        code: 'test_earning',
        ref: `e2e-earning-${id}`,
        explanation: 'seeded for the end-to-end test',
      })),
    );
  }, 120_000);

  afterAll(async () => {
    await ctx.close();
    await sandbox.stop();
  });

  it('withdraws with a quote first, and refuses bad input with its code', async () => {
    const id = payees[0] as string;
    const quote = await sandbox.run([
      'withdraw',
      '--affiliate',
      id,
      '--amount',
      '2000',
      '--quote',
      '--json',
    ]);
    expect(quote.code).toBe(0);
    expect(JSON.parse(quote.stdout)).toMatchObject({
      amount: 2000,
      fee: 1500,
      net: 500,
      rail: 'wire',
    });
    const low = await sandbox.run(['withdraw', '--affiliate', id, '--amount', '100']);
    expect(low.code).toBe(1);
    expect(low.stderr).toMatch(/error \[amount_below_minimum\]/);
    const made = await sandbox.run([
      'withdraw',
      '--affiliate',
      id,
      '--amount',
      '2000',
      '--idempotency-key',
      'k1',
      '--json',
    ]);
    expect(made.code).toBe(0);
    const w = JSON.parse(made.stdout);
    expect(w).toMatchObject({ amount: 2000, fee: 1500, net: 500, state: 'Processing' });
    expect(w.id).toMatch(/^wd-/);
    const again = await sandbox.run([
      'withdraw',
      '--affiliate',
      id,
      '--amount',
      '2000',
      '--idempotency-key',
      'k1',
      '--json',
    ]);
    expect(JSON.parse(again.stdout)).toMatchObject({ id: w.id, replayed: true });
  });

  it('withdrawals from many processes at once never overdraw one balance', async () => {
    const id = payees[1] as string; // 30.00 available: one withdrawal of 16.00, not two
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        collect(
          sandbox.spawn([
            'withdraw',
            '--affiliate',
            id,
            '--amount',
            '1600',
            '--idempotency-key',
            `p${i}`,
          ]),
        ),
      ),
    );
    expect(results.filter((r) => r.code === 0)).toHaveLength(1);
    for (const r of results.filter((r) => r.code !== 0))
      expect(r.stderr).toMatch(/error \[insufficient_balance\]/);
    const balance = await sandbox.run(['affiliate', 'balance', id, '--json']);
    expect(JSON.parse(balance.stdout)).toMatchObject({ available: 1400, in_transit: 1600 });
  });

  it('a payout run killed midway and run again pays everyone once', async () => {
    const child = sandbox.spawn(['payouts', 'run', '--period', '2026-01', '--page-size', '50']);
    const exited = collect(child);
    // Wait (polling the database, bounded) until the run has paid some, then kill -9.
    let running = true;
    void exited.then(() => {
      running = false;
    });
    const deadline = performance.now() + 60_000;
    while (running && performance.now() < deadline && (await periodWithdrawals()) < 25)
      await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGKILL');
    await exited;
    const atKill = await periodWithdrawals();
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(PAYEES - 2);

    const resumed = await sandbox.run(['payouts', 'run', '--period', '2026-01', '--json']);
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout);
    // payee 0 and payee 1 withdrew above and have less than the minimum left.
    expect(summary.alreadyPaid + summary.paid).toBe(PAYEES - 2);
    expect(summary.alreadyPaid).toBeGreaterThanOrEqual(atKill);
    const perAffiliate = await ctx.db
      .selectFrom('withdrawals')
      .select(['affiliate_id', (eb) => eb.fn.countAll<bigint>().as('n')])
      .where('period', '=', '2026-01')
      .groupBy('affiliate_id')
      .execute();
    expect(perAffiliate).toHaveLength(PAYEES - 2);
    expect(perAffiliate.every((r) => Number(r.n) === 1)).toBe(true);
    const audit = await sandbox.run(['ledger', 'audit']);
    expect(audit.code).toBe(0);
  }, 120_000);

  it('exports a wire file, imports a refusal, and the affiliate sees the amount back with the reason', async () => {
    const out = path.join(sandbox.dataDir, 'wires.csv');
    const exported = await sandbox.run(['payouts', 'export', '--format', 'csv', '--out', out]);
    expect(exported.code).toBe(0);
    const batchId = exported.stdout.trim();
    expect(batchId).toMatch(/^pb-/);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(PAYEES + 1); // the header, 598 from the run, 2 requested
    const id = payees[5] as string;
    const [w] = JSON.parse((await sandbox.run(['affiliate', 'withdrawals', id, '--json'])).stdout);
    const results = path.join(sandbox.dataDir, 'results.csv');
    fs.writeFileSync(
      results,
      `end_to_end_id,status,reason_code,reason_text,date\n${w.id},returned,AC04,Account closed,2026-01-25\n`,
    );
    const imported = await sandbox.run(['payouts', 'import-results', results, '--json']);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ returned: 1 });
    const [after] = JSON.parse(
      (await sandbox.run(['affiliate', 'withdrawals', id, '--json'])).stdout,
    );
    expect(after).toMatchObject({
      stateLabel: 'Returned',
      reasonCode: 'AC04',
      reasonText: 'Account closed',
    });
    const balance = JSON.parse((await sandbox.run(['affiliate', 'balance', id, '--json'])).stdout);
    expect(balance).toMatchObject({ available: Number(EARNED), in_transit: 0 });
    const bad = path.join(sandbox.dataDir, 'bad.csv');
    fs.writeFileSync(
      bad,
      'end_to_end_id,status,reason_code,reason_text,date\nwd-nope,accepted,,,2026-01-25\n',
    );
    const refused = await sandbox.run(['payouts', 'import-results', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/invalid_results_file.*line 2: no withdrawal wd-nope/);
    const again = await sandbox.run([
      'payouts',
      'export',
      '--format',
      'csv',
      '--out',
      out,
      '--batch',
      batchId,
    ]);
    expect(again.code).toBe(0);
  });

  async function periodWithdrawals(): Promise<number> {
    const row = await ctx.db
      .selectFrom('withdrawals')
      .select((eb) => eb.fn.countAll<bigint>().as('n'))
      .where('period', '=', '2026-01')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
});
