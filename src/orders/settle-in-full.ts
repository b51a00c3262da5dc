import { sql } from 'kysely';
import { DAY_MS } from '../clock.js';
import type { Ctx } from '../context.js';
import { cachedStatement } from '../db/bulk-upsert.js';
import { selectWhereIn } from '../db/select-where-in.js';
import { toDbTime } from '../db/time.js';
import { postPendingInFull } from '../ledger/post-pending-in-full.js';
import { OrderRollupDeltas } from '../reports/order-rollups.js';
import type { ProgramSettings } from '../settings/schema.js';
import { emitEach } from '../webhooks/emit-events.js';
import { COMMISSION_KEY_PREFIX, SETTLEMENT_KEY_PREFIX } from './commission-transfers.js';
import { settledInFullEvent } from './order-events.js';

/**
 * The events that leave a confirmed sub-order's settlement as it was planned. Any other
 * (a refund, a dispute, a cancellation) sends its order the full path. Asked as "no event
 * outside these", one seek into the (order_id, type) index finds the order's few events.
 */
const PLAIN_EVENTS = ['order.paid', 'order.shipped', 'order.receipt_confirmed'] as const;

// One cached statement per row, by rowid (read with the candidates): cheaper on SQLite
// than a statement over a JSON list, or a second walk through the primary-key index.
const SQLITE_SETTLE = `update sub_orders set status = 'completed_settlement', due_at = null,
    settled_at = ?, settled_minor = max(commission_settlement_minor, 0)
  where rowid = ?`;

/**
 * Settlement's fast lane: the due sub-orders whose order has seen nothing but its payment,
 * shipment and receipt — no refund, dispute or cancellation — and whose receipt is
 * confirmed settle for their whole commission, unless a fraud flag on the order is open
 * (held for review). For them the stored derived columns are
 * the whole story: the last sync wrote `due_at` as the earlier of settlement and expiry,
 * and only the clock has moved since. So the decision needs no events read, and the
 * writes are set-based (the ledger posts in one statement, the sub-orders change in one).
 * Everything else — and any sub-order whose post the ledger did not book now — is left
 * due for `syncOrders`. What it settles is queued as order.settled for the affiliates'
 * webhooks and postbacks. Returns what it settled.
 */
export async function settleDueInFull(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
  settings: { at(at: Date): ProgramSettings },
  limit: number,
): Promise<{ candidates: number; settled: number; orderIds: string[] }> {
  const now = ctx.clock.now();
  const nowText = toDbTime(now);
  const find = (lockedOrders?: readonly string[]) =>
    ctx.db
      .selectFrom('sub_orders as s')
      .innerJoin('orders as o', 'o.order_id', 's.order_id')
      .select([
        's.sub_order_id',
        // SQLite's row address, for the update; PostgreSQL updates by key.
        ctx.sqlite ? sql<bigint>`s.rowid`.as('row_address') : sql<null>`null`.as('row_address'),
        's.order_id',
        's.due_at',
        's.commission_settlement_minor',
        'o.paid_at',
        // For the order.settled webhooks and postbacks.
        's.paid_minor',
        's.currency',
        's.settlement_currency',
        'o.affiliate_id',
        'o.tracking_id',
        'o.click_id',
        // For the order rollups.
        's.product_id',
        'o.sub1',
      ])
      .where('s.due_at', '<=', nowText)
      // An order no affiliate earns has every sub-order Invalid from payment on.
      .where('s.status', '=', 'buyer_confirmed_receipt')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('merchant_events as e')
              .select('e.id')
              .whereRef('e.order_id', '=', 's.order_id')
              .where('e.type', 'not in', PLAIN_EVENTS),
          ),
        ),
      )
      // An order with an open fraud flag is held for review: never settled here (the full
      // path keeps it waiting until the operator releases it).
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('order_flags as f')
              .select('f.id')
              .whereRef('f.order_id', '=', 's.order_id')
              .where('f.resolved_at', 'is', null),
          ),
        ),
      )
      .$if(lockedOrders !== undefined, (q) =>
        q.where(sql<boolean>`s.order_id = any(${lockedOrders}::text[])`),
      )
      .orderBy('s.due_at')
      .limit(limit)
      .execute();
  let candidates = await find();
  if (ctx.dialect === 'postgres' && candidates.length > 0) {
    // Lock the orders (an event for one of them waits, or is waited for), then read again
    // in a fresh snapshot: a refund or dispute committed meanwhile sends its order the
    // full path. SQLite has one writer at a time; its read already sees everything.
    const locked = await selectWhereIn<{ order_id: string }>(ctx, {
      from: 'orders',
      columns: ['order_id'],
      column: 'order_id',
      values: [...new Set(candidates.map((c) => c.order_id))],
      forUpdate: true,
    });
    candidates = await find(locked.map((row) => row.order_id));
  }

  // In sub-order order: the ledger's key and ref indexes and the sub-order key are all in
  // that order, so the writes walk each B-tree once instead of jumping around it.
  candidates.sort((a, b) =>
    a.sub_order_id < b.sub_order_id ? -1 : a.sub_order_id > b.sub_order_id ? 1 : 0,
  );
  const expiries = new Map<string, number>();
  const due = candidates.filter((c) => {
    // due_at is the settlement time unless the expiry came first (then it is the expiry,
    // and the full path invalidates the sub-order).
    let expiresMs = expiries.get(c.paid_at);
    if (expiresMs === undefined) {
      const paidMs = Date.parse(c.paid_at);
      expiresMs = paidMs + settings.at(new Date(paidMs)).invalidAfterDays * DAY_MS;
      expiries.set(c.paid_at, expiresMs);
    }
    return Date.parse(c.due_at as string) < expiresMs;
  });
  const withCommission = due.filter((c) => c.commission_settlement_minor > 0n);
  const booked = await postPendingInFull(ctx, {
    keyPrefix: SETTLEMENT_KEY_PREFIX,
    pendingKeyPrefix: COMMISSION_KEY_PREFIX,
    code: 'commission_settlement',
    explanation: 'settled in full',
    refs: withCommission.map((c) => c.sub_order_id),
  });
  const settled = due.filter(
    (c) => c.commission_settlement_minor <= 0n || booked.has(c.sub_order_id),
  );
  if (settled.length > 0) {
    if (ctx.sqlite) {
      const statement = cachedStatement(ctx.sqlite, SQLITE_SETTLE);
      for (const c of settled) statement.run([nowText, c.row_address]);
    } else
      await sql`update sub_orders set status = 'completed_settlement', due_at = null,
          settled_at = ${nowText}, settled_minor = greatest(commission_settlement_minor, 0)
        where sub_order_id = any(${settled.map((c) => c.sub_order_id)}::text[])`.execute(ctx.db);
  }
  // Each settled sub-order moves from Buyer Confirmed Receipt to Completed Settlement.
  const rollups = new OrderRollupDeltas();
  for (const c of settled) {
    if (!c.affiliate_id) continue;
    const commissionMinor = c.commission_settlement_minor;
    rollups.change(
      {
        affiliateId: c.affiliate_id,
        paidAt: c.paid_at,
        trackingId: c.tracking_id,
        sub1: c.sub1,
        productId: c.product_id,
        currency: c.settlement_currency,
      },
      { status: 'buyer_confirmed_receipt', commissionMinor, settledMinor: null },
      {
        status: 'completed_settlement',
        commissionMinor,
        settledMinor: commissionMinor > 0n ? commissionMinor : 0n,
      },
    );
  }
  await rollups.writeTo(ctx);
  // One read for the affected affiliates' subscriptions; inserts only for subscribed ones.
  await emitEach(ctx, settled, (c) => c.affiliate_id, settledInFullEvent);
  return {
    candidates: candidates.length,
    settled: settled.length,
    orderIds: [...new Set(settled.map((c) => c.order_id))],
  };
}
