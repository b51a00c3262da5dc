import { sql } from 'kysely';
import { timeCli } from '../bench/bench-util.js';
import type { Db } from '../db/types.js';
import { readClockOffset, writeClockOffset } from '../demo/clock-offset.js';
import { accountId } from '../ledger/accounts.js';
import { getSettings } from '../settings/get-settings.js';
import { auditChecks, type Check, equal, midway } from './checks.js';
import { count, crashSettled, openWorldDb } from './database.js';
import { FaultServer } from './fault-server.js';
import { waitFor } from './wait.js';
import type { World } from './world.js';

const PHASE = 'd. payout run';
const POLL_MS = 10;

export type PayoutFigures = {
  period: string;
  payees: number;
  paidAtKill: number;
  paidMinor: bigint;
  resumedS: number;
};

type RunSummary = { paid: number; paidMinor: string; alreadyPaid: number };

/**
 * Fault (d): the demo server's clock is moved to noon on the payout day of the month after
 * the settlement, so the scheduler's first tick runs the payout run (500 affiliates per
 * transaction); the server is killed -9 once the first withdrawals are seen, started again
 * (its tick resumes the run) and stopped once the run has finished; then `affnet payouts
 * run` runs it once more. Each affiliate whose balance reached the minimum is paid once,
 * exactly that balance.
 */
export async function payoutRun(
  world: World,
): Promise<{ checks: Check[]; figures: PayoutFigures }> {
  const connection = openWorldDb(world);
  try {
    const db = connection.db;
    const settings = await getSettings(db, new Date());
    const lastSettled = await db
      .selectFrom('sub_orders')
      .select((eb) => eb.fn.max('settled_at').as('at'))
      .where('sub_order_id', 'like', 'flt-%')
      .executeTakeFirstOrThrow();
    const period = String(lastSettled.at).slice(0, 7);
    const [year, month] = period.split('-').map(Number) as [number, number];

    const balances = await availableNow(db, world, settings.settlementCurrency);
    const due = [...balances].filter(([, amount]) => amount >= settings.minWithdrawalMinor);
    const payees = due.length;
    const paidMinor = due.reduce((sum, [, amount]) => sum + amount, 0n);
    const dry = await summary(world, ['--period', period, '--dry-run']);

    const payoutDay = Date.UTC(year, month, settings.payoutDayOfMonth, 12);
    writeClockOffset(
      world.dataDir,
      Math.max(readClockOffset(world.dataDir), payoutDay - Date.now()),
    );
    const withdrawals = () =>
      count(db, sql`select count(*) as n from withdrawals where period = ${period}`);
    const server = FaultServer.start(world.env, ['--demo']);
    await waitFor(
      'the first withdrawals of the run',
      async () => {
        server.assertRunning();
        return (await withdrawals()) > 0 ? true : undefined;
      },
      { timeoutMs: 120_000, everyMs: POLL_MS },
    );
    await server.kill9();
    await crashSettled(connection);
    const paidAtKill = await withdrawals();

    const started = performance.now();
    const restarted = FaultServer.start(world.env, ['--demo']);
    await waitFor(
      'the payout run to finish',
      async () => {
        restarted.assertRunning();
        const run = await db
          .selectFrom('payout_runs')
          .select('finished_at')
          .where('period', '=', period)
          .executeTakeFirst();
        return run?.finished_at ? true : undefined;
      },
      { timeoutMs: 600_000, everyMs: 100 },
    );
    const resumedS = (performance.now() - started) / 1000;
    await restarted.url;
    await restarted.stop();
    const again = await summary(world, ['--period', period]);

    const paid = await db
      .selectFrom('withdrawals')
      .select(['affiliate_id', 'amount_minor'])
      .where('period', '=', period)
      .execute();
    const after = await availableNow(db, world, settings.settlementCurrency);
    const checks = [
      midway(PHASE, 'withdrawals', paidAtKill, payees),
      equal(PHASE, 'dry run before: withdrawals planned', dry.paid, payees),
      equal(PHASE, 'dry run before: minor units planned', BigInt(dry.paidMinor), paidMinor),
      equal(PHASE, 'withdrawals of the period', paid.length, payees),
      equal(
        PHASE,
        'affiliates paid more than once',
        await count(
          db,
          sql`select count(*) as n from (select affiliate_id from withdrawals
              where period = ${period} group by affiliate_id having count(*) > 1) twice`,
        ),
        0,
      ),
      equal(
        PHASE,
        'sum paid = available before (minor units)',
        paid.reduce((sum, w) => sum + BigInt(w.amount_minor), 0n),
        paidMinor,
      ),
      equal(
        PHASE,
        'withdrawals ≠ that balance before',
        paid.filter((w) => balances.get(w.affiliate_id) !== BigInt(w.amount_minor)).length,
        0,
      ),
      equal(
        PHASE,
        'withdrawals ≠ their ledger transfers',
        await count(
          db,
          sql`select count(*) as n from withdrawals w where w.period = ${period}
              and w.amount_minor <> (select coalesce(sum(t.amount_minor), 0) from ledger_transfers t
                where t.ref = w.id and t.code in ('withdrawal', 'withdrawal_fee'))`,
        ),
        0,
      ),
      equal(
        PHASE,
        'available after, those paid (minor units)',
        paid.reduce((sum, w) => sum + (after.get(w.affiliate_id) ?? 0n), 0n),
        0n,
      ),
      equal(PHASE, 'run again: new withdrawals', again.paid, 0),
      equal(PHASE, 'run again: already paid', again.alreadyPaid, payees),
      ...(await auditChecks(world, PHASE)),
    ];
    return { checks, figures: { period, payees, paidAtKill, paidMinor, resumedS } };
  } finally {
    await connection.close();
  }
}

/** Each payee's available balance, from the ledger's cached sums (the audit checks them). */
async function availableNow(db: Db, world: World, currency: string): Promise<Map<string, bigint>> {
  const payees = new Map(
    world.payees.map((p) => [
      accountId({ kind: 'affiliate', ownerId: p.affiliateId, currency }),
      p.affiliateId,
    ]),
  );
  const rows = await db
    .selectFrom('ledger_balances')
    .select(['account_id', 'credits_posted', 'debits_posted', 'debits_pending'])
    .where('account_id', 'like', 'affiliate:%')
    .execute();
  const available = new Map<string, bigint>();
  for (const r of rows) {
    const affiliateId = payees.get(r.account_id);
    if (affiliateId)
      available.set(
        affiliateId,
        BigInt(r.credits_posted) - BigInt(r.debits_posted) - BigInt(r.debits_pending),
      );
  }
  return available;
}

/** `affnet payouts run … --json`: what the run did (or, dry, would do). */
async function summary(world: World, args: readonly string[]): Promise<RunSummary> {
  const run = await timeCli(['payouts', 'run', ...args, '--json'], world.env);
  return JSON.parse(run.stdout) as RunSummary;
}
