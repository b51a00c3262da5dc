import { sql } from 'kysely';
import { readClockOffset, writeClockOffset } from '../demo/clock-offset.js';
import { auditChecks, type Check, equal, midway } from './checks.js';
import { count, crashSettled, openWorldDb, scalar } from './database.js';
import { FaultServer } from './fault-server.js';
import { waitFor } from './wait.js';
import type { World } from './world.js';

const PHASE = 'c. settlement';
const HOUR_MS = 3_600_000;
/** Past the program's settlement delay (a day, set by prepareWorld) after the receipts. */
const AHEAD_MS = 25 * HOUR_MS;
const POLL_MS = 10;

export type SettlementFigures = { subOrders: number; settledAtKill: number; resumedS: number };

/**
 * Fault (c): the demo server's clock is moved a day and an hour ahead (the offset file its
 * restart reads), so every confirmed sub-order is due when it starts; its job scheduler
 * settles them at once, 5,000 per transaction. It is killed -9 as soon as the first are
 * seen settled, started again (its first tick resumes) and stopped once all are settled.
 * Each commission must be posted exactly once, in full.
 */
export async function settlement(
  world: World,
): Promise<{ checks: Check[]; figures: SettlementFigures }> {
  const connection = openWorldDb(world);
  try {
    const db = connection.db;
    const ours = sql`sub_order_id like 'flt-%'`;
    const subOrders = await count(db, sql`select count(*) as n from sub_orders where ${ours}`);
    const settled = () =>
      count(
        db,
        sql`select count(*) as n from sub_orders
            where ${ours} and status = 'completed_settlement'`,
      );
    writeClockOffset(world.dataDir, readClockOffset(world.dataDir) + AHEAD_MS);

    const server = FaultServer.start(world.env, ['--demo']);
    await waitFor(
      'the first sub-orders settled',
      async () => {
        server.assertRunning();
        return (await settled()) > 0 ? true : undefined;
      },
      { timeoutMs: 120_000, everyMs: POLL_MS },
    ).catch(async (error: Error) => {
      const states = await sql<{ status: string; due: string; n: bigint }>`
        select status, min(due_at) as due, count(*) as n from sub_orders where ${ours}
        group by status`.execute(db);
      const seen = states.rows.map((r) => `${r.n} ${r.status} (due from ${r.due})`).join(', ');
      throw new Error(`${error.message}: ${seen}`);
    });
    await server.kill9();
    await crashSettled(connection);
    const settledAtKill = await settled();

    const started = performance.now();
    const restarted = FaultServer.start(world.env, ['--demo']);
    await waitFor(
      'every sub-order settled',
      async () => {
        restarted.assertRunning();
        return (await settled()) === subOrders ? true : undefined;
      },
      { timeoutMs: 600_000, everyMs: 100 },
    );
    const resumedS = (performance.now() - started) / 1000;
    await restarted.url;
    await restarted.stop();

    const key = (prefix: string) => sql`${prefix} || sub_orders.sub_order_id`;
    const transfersPer = (prefix: string) =>
      count(
        db,
        sql`select count(*) as n from sub_orders where ${ours} and (
              select count(*) from ledger_transfers
              where ledger_transfers.key = ${key(prefix)}) <> 1`,
      );
    const checks = [
      midway(PHASE, 'sub-orders settled', settledAtKill, subOrders),
      equal(PHASE, 'sub-orders settled', await settled(), subOrders),
      equal(
        PHASE,
        'sub-orders without exactly 1 settle transfer',
        await transfersPer('settle:'),
        0,
      ),
      equal(
        PHASE,
        'commissions not resolved exactly once',
        await count(
          db,
          sql`select count(*) as n from ledger_transfers p
              where p.key like 'commission:flt-%' and (
                select count(*) from ledger_transfers r where r.pending_id = p.id) <> 1`,
        ),
        0,
      ),
      equal(
        PHASE,
        'voided commissions',
        await count(
          db,
          sql`select count(*) as n from ledger_transfers where key like 'void:flt-%'`,
        ),
        0,
      ),
      equal(
        PHASE,
        'posted = pending commission (minor units)',
        await scalar(
          db,
          sql`select sum(amount_minor) as n from ledger_transfers where key like 'settle:flt-%'`,
        ),
        await scalar(
          db,
          sql`select sum(amount_minor) as n from ledger_transfers where key like 'commission:flt-%'`,
        ),
      ),
      equal(
        PHASE,
        'settled_minor = posted (minor units)',
        await scalar(db, sql`select sum(settled_minor) as n from sub_orders where ${ours}`),
        await scalar(
          db,
          sql`select sum(amount_minor) as n from ledger_transfers where key like 'settle:flt-%'`,
        ),
      ),
      ...(await auditChecks(world, PHASE)),
    ];
    return { checks, figures: { subOrders, settledAtKill, resumedS } };
  } finally {
    await connection.close();
  }
}
