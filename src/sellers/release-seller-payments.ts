import { sql } from 'kysely';
import type { Ctx } from '../context.js';
import { cachedStatement } from '../db/bulk-upsert.js';
import { selectWhereIn } from '../db/select-where-in.js';
import { toDbTime } from '../db/time.js';
import { createTransfersBatch, type NewTransfer } from '../ledger/create-transfers-batch.js';
import { type OrderEvent, refundOf } from '../orders/order-facts.js';
import { type ReleaseSubOrder, releaseTargetMinor, sellerAccounts } from './release-amounts.js';

/** The ledger key of a sub-order's release to its seller: one per sub-order. */
export const releaseKey = (subOrderId: string) => `seller_release:${subOrderId}`;

// The events that change what a buyer paid for a sub-order after payment.
const REFUND_EVENTS = "type in ('order.refunded', 'order.dispute_closed', 'order.cancelled')";

type Candidate = ReleaseSubOrder & {
  sub_order_id: string;
  order_id: string;
  seller_id: string | null;
};

/**
 * Releases the seller's share of settled, attributed sub-orders: for each one waiting
 * (`released_at` null, read off the partial index of migration 0019), one posted transfer
 * `seller_release:<sub-order>` from the program's `marketplace_sales` to the seller's
 * `seller_payable` of the settlement currency, of the sale after refunds (converted at the
 * rate locked at payment) minus the commission the affiliate keeps (posted, less any
 * clawback). Nothing to release (zero or less) books nothing; either way the sub-order is
 * marked released, and later refunds book corrections (`correctSellerRelease`). One
 * transaction per call, at most `limit` sub-orders; returns how many were looked at and
 * how many transfers were booked.
 */
export async function releaseSellerPayments(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
  limit: number,
): Promise<{ candidates: number; released: number }> {
  const find = (subOrderIds?: readonly string[]) =>
    ctx.db
      .selectFrom('sub_orders as s')
      .leftJoin('products as p', 'p.product_id', 's.product_id')
      .leftJoin('stores as st', 'st.id', 'p.store_id')
      .select([
        's.sub_order_id',
        's.order_id',
        's.paid_minor',
        's.currency',
        's.settlement_currency',
        's.fx_rate',
        's.settled_minor',
        'st.seller_id',
      ])
      // The three conditions of the partial index sub_orders_release_due (a literal, so that
      // PostgreSQL's planner can match the index's predicate whatever plan it caches).
      .where('s.status', '=', sql.lit('completed_settlement'))
      .where('s.released_at', 'is', null)
      .where('s.affiliate_id', 'is not', null)
      // A semi-join on the array: each id looked up in the primary key (`= any(…)` as a
      // filter compared every waiting row with every id).
      .$if(subOrderIds !== undefined, (q) =>
        q.where(sql<boolean>`s.sub_order_id in (select unnest(${subOrderIds}::text[]))`),
      )
      .orderBy('s.sub_order_id')
      .limit(limit)
      .execute() as Promise<Candidate[]>;
  let candidates = await find();
  if (candidates.length === 0) return { candidates: 0, released: 0 };
  if (ctx.dialect === 'postgres') {
    // Lock the orders, as settlement does, then read again: a refund committed meanwhile is
    // seen, and a sub-order another runner released meanwhile is gone from the list.
    await selectWhereIn<{ order_id: string }>(ctx, {
      from: 'orders',
      columns: ['order_id'],
      column: 'order_id',
      values: [...new Set(candidates.map((c) => c.order_id))],
      forUpdate: true,
    });
    candidates = await find(candidates.map((c) => c.sub_order_id));
  }
  const orderIds = [...new Set(candidates.map((c) => c.order_id))];
  // Refunds: most orders have none, and then the sale is what was paid.
  const events = await selectWhereIn<{ order_id: string; type: string; data: string }>(ctx, {
    from: 'merchant_events',
    columns: ['order_id', 'type', 'data'],
    column: 'order_id',
    values: orderIds,
    and: REFUND_EVENTS,
  });
  const eventsOf = new Map<string, OrderEvent[]>();
  for (const e of events) {
    const list = eventsOf.get(e.order_id) ?? [];
    list.push({ type: e.type, values: JSON.parse(e.data) as Record<string, unknown> });
    eventsOf.set(e.order_id, list);
  }
  const refunded = new Map<string, bigint>();
  for (const c of candidates) {
    const list = eventsOf.get(c.order_id);
    if (!list) continue;
    const cancelled = list.some((e) => e.type === 'order.cancelled');
    const sum = list.reduce((total, e) => total + refundOf(e, c.sub_order_id), 0n);
    const r = cancelled || sum >= c.paid_minor ? c.paid_minor : sum;
    if (r > 0n) refunded.set(c.sub_order_id, r);
  }
  // Clawbacks exist only after a refund: read them for those sub-orders alone.
  const clawedBack = new Map<string, bigint>();
  const refs = [...refunded.keys()];
  for (const row of await selectWhereIn<{ ref: string; amount_minor: bigint }>(ctx, {
    from: 'ledger_transfers',
    columns: ['ref', 'amount_minor'],
    column: 'ref',
    values: refs,
    and: "code = 'clawback'",
  }))
    clawedBack.set(row.ref, (clawedBack.get(row.ref) ?? 0n) + BigInt(row.amount_minor));

  const transfers: NewTransfer[] = [];
  for (const c of candidates) {
    if (c.seller_id === null) continue; // a product no store holds: nobody to pay
    const refundedMinor = refunded.get(c.sub_order_id) ?? 0n;
    const { saleMinor, commissionMinor, targetMinor } = releaseTargetMinor(
      c,
      refundedMinor,
      clawedBack.get(c.sub_order_id) ?? 0n,
    );
    if (targetMinor <= 0n) continue;
    transfers.push({
      kind: 'posted',
      key: releaseKey(c.sub_order_id),
      ...sellerAccounts(c.seller_id, c.settlement_currency),
      amountMinor: targetMinor,
      code: 'seller_release',
      ref: c.sub_order_id,
      explanation: `sale ${saleMinor} − commission ${commissionMinor} ${c.settlement_currency}${refundedMinor > 0n ? ` (after ${refundedMinor} ${c.currency} refunded)` : ''}`,
    });
  }
  await createTransfersBatch(ctx, transfers);
  await markReleased(
    ctx,
    candidates.map((c) => c.sub_order_id),
    toDbTime(ctx.clock.now()),
  );
  return { candidates: candidates.length, released: transfers.length };
}

async function markReleased(
  ctx: Pick<Ctx, 'db' | 'sqlite'>,
  ids: readonly string[],
  now: string,
): Promise<void> {
  if (ctx.sqlite) {
    cachedStatement(
      ctx.sqlite,
      'update sub_orders set released_at = ? where sub_order_id in (select value from json_each(?))',
    ).run([now, JSON.stringify(ids)]);
    return;
  }
  await sql`update sub_orders set released_at = ${now}
    where sub_order_id in (select unnest(${ids}::text[]))`.execute(ctx.db);
}
