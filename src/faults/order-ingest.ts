import { sql } from 'kysely';
import { readClockOffset, writeClockOffset } from '../demo/clock-offset.js';
import { auditChecks, type Check, check, equal, midway } from './checks.js';
import type { StoredClick } from './click-flood.js';
import { count, crashSettled, openWorldDb, scalar } from './database.js';
import { FaultServer } from './fault-server.js';
import { orderBatches, SUB_ORDERS_PER_ORDER, sendBatches, totalOf } from './order-events.js';
import type { World } from './world.js';

const PHASE = 'b. order-event ingest';
const CLIENTS = 4;
const HOUR_MS = 3_600_000;
/** The re-send is the marketplace's retry after an outage: it keeps trying. */
const RESEND_RETRIES = 5;

export type IngestFigures = {
  events: number;
  /** Events the server had answered for when it was killed. */
  answeredAtKill: number;
  /** Events stored when the crash had settled: what the restarted server found. */
  storedAtKill: number;
  resendS: number;
};

/**
 * Fault (b): `orders` orders (a payment and a receipt each, an hour after the clicks on the
 * demo server's clock) in signed batches of 500 from 4 clients at once; the server is killed -9 once `killAfterBatches` batches were answered,
 * started again, and every batch is sent again as it was. Each event must be stored once,
 * replayed exactly when it had been stored before the kill, and book its commission once.
 */
export async function orderIngest(
  world: World,
  clicks: readonly StoredClick[],
  orders: number,
  killAfterBatches: number,
): Promise<{ checks: Check[]; figures: IngestFigures }> {
  // The orders come an hour after the clicks (on the demo server's clock): an order paid
  // seconds after its click looks like click injection, and would be held for review.
  const clockOffsetMs = readClockOffset(world.dataDir) + HOUR_MS;
  writeClockOffset(world.dataDir, clockOffsetMs);
  const paidAt = new Date(Date.now() + clockOffsetMs - 2000);
  const batches = orderBatches(clicks, world.productIds, orders, paidAt);
  const events = batches.reduce((sum, b) => sum + b.events, 0);
  const connection = openWorldDb(world);
  try {
    const db = connection.db;
    const server = FaultServer.start(world.env, ['--demo']);
    const url = await server.url;
    let killed: Promise<void> | undefined;
    let answered = 0;
    const first = await sendBatches(url, world.merchantSecret, batches, {
      clients: CLIENTS,
      clockOffsetMs,
      stop: () => killed !== undefined,
      onAnswer: () => {
        answered += 1;
        if (answered >= killAfterBatches && !killed) killed = server.kill9();
      },
    });
    await (killed ?? server.kill9());
    await crashSettled(connection);
    const ours = sql`(id like 'paid-%' or id like 'confirmed-%')`;
    const storedAtKill = await count(
      db,
      sql`select count(*) as n from merchant_events where ${ours}`,
    );
    const answeredAtKill = totalOf(first.answers);

    const restarted = FaultServer.start(world.env, ['--demo']);
    const restartedUrl = await restarted.url;
    const started = performance.now();
    const again = await sendBatches(restartedUrl, world.merchantSecret, batches, {
      clients: CLIENTS,
      clockOffsetMs,
      retries: RESEND_RETRIES,
    });
    for (const error of again.networkErrors) console.log(`${world.database}: re-send: ${error}`);
    const resendS = (performance.now() - started) / 1000;
    await restarted.stop();
    const resent = totalOf(again.answers);

    const subOrders = sql`sub_orders.sub_order_id like 'flt-%'`;
    const checks = [
      midway(PHASE, 'events', storedAtKill, events),
      check(
        PHASE,
        'events answered before the kill survived it',
        storedAtKill,
        `≥ ${answeredAtKill.accepted.toLocaleString('en')} accepted before it`,
        storedAtKill >= answeredAtKill.accepted,
      ),
      equal(PHASE, 'events rejected (both sends)', answeredAtKill.rejected + resent.rejected, 0),
      equal(PHASE, 're-send: events accepted', resent.accepted, events),
      equal(PHASE, 're-send: replayed = stored at the kill', resent.replayed, storedAtKill),
      equal(
        PHASE,
        'events stored, each once',
        await count(db, sql`select count(distinct id) as n from merchant_events where ${ours}`),
        events,
      ),
      equal(
        PHASE,
        'orders attributed to a click',
        await count(
          db,
          sql`select count(*) as n from orders
              where order_id like 'flt-%' and affiliate_id is not null`,
        ),
        orders,
      ),
      equal(
        PHASE,
        'sub-orders',
        await count(db, sql`select count(*) as n from sub_orders where ${subOrders}`),
        orders * SUB_ORDERS_PER_ORDER,
      ),
      equal(
        PHASE,
        'sub-orders without exactly 1 commission transfer',
        await count(
          db,
          sql`select count(*) as n from sub_orders where ${subOrders} and (
                select count(*) from ledger_transfers
                where ledger_transfers.key = 'commission:' || sub_orders.sub_order_id) <> 1`,
        ),
        0,
      ),
      equal(
        PHASE,
        'commission booked = locked (minor units)',
        await scalar(
          db,
          sql`select sum(amount_minor) as n from ledger_transfers where key like 'commission:flt-%'`,
        ),
        await scalar(
          db,
          sql`select sum(commission_settlement_minor) as n from sub_orders where ${subOrders}`,
        ),
      ),
      ...(await auditChecks(world, PHASE)),
    ];
    if (answeredAtKill.error ?? resent.error)
      console.log(`${world.database}: a refused event: ${answeredAtKill.error ?? resent.error}`);
    return {
      checks,
      figures: {
        events,
        answeredAtKill: answeredAtKill.accepted + answeredAtKill.rejected,
        storedAtKill,
        resendS,
      },
    };
  } finally {
    await connection.close();
  }
}
