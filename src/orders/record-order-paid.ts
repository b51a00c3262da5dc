import type { Insertable } from 'kysely';
import type { Ctx } from '../context.js';
import { type BulkSpec, bulkUpsert, bulkUpsertAll, rowsOf } from '../db/bulk-upsert.js';
import { toDbTime } from '../db/time.js';
import type { OrdersTable, SubOrdersTable } from '../db/types.js';
import { AppError } from '../errors.js';
import { flagPayment } from '../fraud/flag-payment.js';
import { type NewFlag, recordFlags } from '../fraud/flags.js';
import { createTransfersBatch, type NewTransfer } from '../ledger/create-transfers-batch.js';
import { money } from '../money.js';
import { OrderRollupDeltas } from '../reports/order-rollups.js';
import { judgeClick } from '../tracking/attribute-click.js';
import { emitEach } from '../webhooks/emit-events.js';
import { commissionAccounts, commissionKey } from './commission-transfers.js';
import { computeCommission } from './compute-commission.js';
import type { IngestCaches } from './ingest-caches.js';
import { decideSubOrder, factsAtPayment } from './life-cycle.js';
import { paidOrderEvents } from './order-events.js';
import { databaseLookups, type PaidLookups } from './paid-lookups.js';
import type { SubOrderSummary } from './plan-order.js';
import type { OrderPaid } from './schema.js';

/**
 * An `order.paid` event: attributes the order to the last click, locks each sub-order's
 * rate (rateFor at paid_at) and exchange rate, computes the commission with its
 * explanation, and books it as a pending ledger transfer. An order that no affiliate earns
 * (no click, an expired click, a self-purchase) is stored as Invalid with the reason, so
 * later events for it are still understood. An attributed order that raises a fraud signal
 * (src/fraud/) is flagged: its commission is booked all the same and held for review.
 * Runs inside the caller's transaction.
 */
export async function recordOrderPaid(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
  order: OrderPaid,
  caches: IngestCaches,
): Promise<{ needsSync: boolean; subOrders: SubOrderSummary[] }> {
  const prepared = await preparePaidOrder(ctx, order, caches, databaseLookups(ctx));
  await writePaidOrders(ctx, [prepared.writes]);
  return { needsSync: prepared.needsSync, subOrders: prepared.subOrders };
}

/** What an order.paid writes: the order, its sub-orders, their pending commissions and any fraud flags. */
export type PaidOrderWrites = {
  order: Insertable<OrdersTable>;
  subOrders: Insertable<SubOrdersTable>[];
  transfers: NewTransfer[];
  flags: NewFlag[];
};

/** Checks an order.paid and works out everything it writes, without writing. */
export async function preparePaidOrder(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  order: OrderPaid,
  caches: IngestCaches,
  lookups: PaidLookups,
): Promise<{ writes: PaidOrderWrites; needsSync: boolean; subOrders: SubOrderSummary[] }> {
  const ids = order.sub_orders.map((s) => s.sub_order_id);
  if (new Set(ids).size !== ids.length)
    throw new AppError('invalid_request', 'sub_order_id appears twice in the order');
  const taken = await lookups.takenSubOrder(ids);
  if (taken) throw new AppError('duplicate_id', `sub-order ${taken} belongs to another order`);

  const paidAt = order.paid_at;
  const settings = caches.settings.at(paidAt);
  const clickFacts = order.click_id ? await lookups.click(order.click_id) : undefined;
  const attribution = order.click_id
    ? judgeClick(order.click_id, clickFacts, paidAt, settings.attributionWindowDays)
    : ({
        attributed: false,
        reason: 'no_click',
        explanation: 'the order came without a click id',
      } as const);
  let invalidReason = attribution.attributed ? null : `not attributed: ${attribution.explanation}`;
  const affiliateId = attribution.attributed ? attribution.click.affiliateId : null;
  const selfPurchase =
    affiliateId !== null && (await lookups.buyerOwner(order.buyer_id)) === affiliateId;
  if (selfPurchase)
    invalidReason = `self-purchase: buyer ${order.buyer_id} is the affiliate's own account`;
  // Fraud signals: an attributed payment that raises one is held for the operator's review.
  const flags = await flagPayment(
    ctx.clock,
    {
      orderId: order.order_id,
      buyerId: order.buyer_id,
      paidAt,
      affiliateId,
      selfPurchase,
      click: clickFacts,
    },
    settings,
    lookups.signals,
  );

  const now = toDbTime(ctx.clock.now());
  // With only the payment known, the life cycle says Payment Completed, due at the expiry
  // (or already expired, for a payment reported very late: then the caller syncs it).
  // The same for every sub-order: nothing but the payment is known yet.
  const first = decideSubOrder(
    factsAtPayment(paidAt, 0n),
    {
      settlementDelayDays: settings.settlementDelayDays,
      invalidAfterDays: settings.invalidAfterDays,
    },
    ctx.clock.now(),
  );
  const firstDue = first.status === 'payment_completed' ? toDbTime(first.dueAt) : now;
  const rows = [];
  for (const sub of order.sub_orders) {
    const decision = await caches.rates.rateFor(sub.product_id, paidAt, {
      hot: attribution.attributed && attribution.click.linkType === 'hot',
    });
    const fx = await caches.fx.rateAt(sub.currency, settings.settlementCurrency, paidAt);
    const paid = money(sub.unit_price_minor * BigInt(sub.quantity), sub.currency);
    const commission = computeCommission({
      paid,
      rateBp: decision.rateBp,
      rule: decision.explanation,
      newBuyerBonusBp: order.is_new_buyer ? settings.newBuyerBonusBp : 0,
      fx,
    });
    const explanation = [
      attribution.attributed
        ? `click ${attribution.click.id} at ${attribution.click.clickedAt}, ${(attribution.ageSeconds / 86_400).toFixed(1)} days before payment, inside the ${attribution.windowDays}-day window`
        : `no commission: ${attribution.explanation}`,
      ...(invalidReason && attribution.attributed ? [invalidReason] : []),
      ...commission.explanation,
    ];
    rows.push({
      sub_order_id: sub.sub_order_id,
      order_id: order.order_id,
      affiliate_id: affiliateId,
      paid_at: toDbTime(paidAt),
      product_id: sub.product_id,
      quantity: BigInt(sub.quantity),
      unit_price_minor: sub.unit_price_minor,
      paid_minor: paid.amountMinor,
      currency: sub.currency,
      rate_bp: BigInt(commission.rateBp),
      commission_minor: invalidReason ? 0n : commission.commission.amountMinor,
      settlement_currency: settings.settlementCurrency,
      fx_rate: fx.text,
      commission_settlement_minor: invalidReason ? 0n : commission.settlement.amountMinor,
      status: invalidReason ? ('invalid' as const) : ('payment_completed' as const),
      invalid_reason: invalidReason,
      confirmed_at: null,
      due_at: invalidReason ? null : firstDue,
      settled_at: null,
      settled_minor: null,
      explanation: JSON.stringify(explanation),
      created_at: now,
    });
  }

  const orderRow = {
    order_id: order.order_id,
    buyer_id: order.buyer_id,
    is_new_buyer: order.is_new_buyer ? 1n : 0n,
    ship_to_country: order.ship_to_country ?? null,
    shipping_method: order.shipping_method ?? null,
    click_id: order.click_id ?? null,
    affiliate_id: affiliateId,
    tracking_id: attribution.attributed ? attribution.click.trackingId : null,
    sub1: attribution.attributed ? (attribution.click.subs[0] ?? null) : null,
    attribution: JSON.stringify(attribution),
    paid_at: toDbTime(paidAt),
    created_at: now,
  };
  const needsSync = first.status !== 'payment_completed';
  const subOrders = rows
    .map((row) => ({ subOrderId: row.sub_order_id, status: row.status }))
    .sort((a, b) => (a.subOrderId < b.subOrderId ? -1 : a.subOrderId > b.subOrderId ? 1 : 0));
  const transfers =
    !affiliateId || invalidReason
      ? []
      : rows
          .filter((row) => row.commission_settlement_minor > 0n)
          .map((row) => ({
            kind: 'pending' as const,
            key: commissionKey(row.sub_order_id),
            ...commissionAccounts(affiliateId, row.settlement_currency),
            amountMinor: row.commission_settlement_minor,
            code: 'commission',
            ref: row.sub_order_id,
            explanation: `estimated commission on order ${order.order_id}, sub-order ${row.sub_order_id}`,
          }));
  return { writes: { order: orderRow, subOrders: rows, transfers, flags }, needsSync, subOrders };
}

const ORDERS_PER_INSERT = 100;
const text = (name: string) => ({ name, type: 'text' as const });
const bigint = (name: string) => ({ name, type: 'bigint' as const });
const ordersSpec: BulkSpec = {
  table: 'orders',
  columns: [
    text('order_id'),
    text('buyer_id'),
    bigint('is_new_buyer'),
    ...['ship_to_country', 'shipping_method', 'click_id', 'affiliate_id', 'tracking_id'].map(text),
    text('sub1'),
    ...['attribution', 'paid_at', 'created_at'].map(text),
  ],
  conflict: 'fail',
  update: 'nothing',
};
const subOrdersSpec: BulkSpec = {
  table: 'sub_orders',
  columns: [
    ...['sub_order_id', 'order_id', 'affiliate_id', 'paid_at', 'product_id'].map(text),
    ...['quantity', 'unit_price_minor', 'paid_minor'].map(bigint),
    text('currency'),
    ...['rate_bp', 'commission_minor'].map(bigint),
    ...['settlement_currency', 'fx_rate'].map(text),
    bigint('commission_settlement_minor'),
    ...['status', 'invalid_reason', 'confirmed_at', 'due_at', 'settled_at'].map(text),
    bigint('settled_minor'),
    ...['explanation', 'created_at'].map(text),
  ],
  conflict: 'fail',
  update: 'nothing',
};

/**
 * Writes prepared orders: a few multi-row inserts and one ledger batch, however many orders,
 * adds them to the order rollups, and queues their order.paid webhooks and postbacks.
 */
export async function writePaidOrders(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
  all: readonly PaidOrderWrites[],
): Promise<void> {
  // Plain inserts through cached statements (a query builder compiling hundreds of rows
  // cost more than the inserts): an order or sub-order written meanwhile is an error.
  for (let start = 0; start < all.length; start += ORDERS_PER_INSERT) {
    const chunk = all.slice(start, start + ORDERS_PER_INSERT);
    await bulkUpsert(
      ctx,
      ordersSpec,
      rowsOf(
        ordersSpec,
        chunk.map((w) => w.order),
      ),
    );
    await bulkUpsertAll(
      ctx,
      subOrdersSpec,
      rowsOf(
        subOrdersSpec,
        chunk.flatMap((w) => w.subOrders),
      ),
    );
  }
  await createTransfersBatch(
    ctx,
    all.flatMap((w) => w.transfers),
  );
  await recordFlags(
    ctx,
    all.flatMap((w) => w.flags),
  );
  const rollups = new OrderRollupDeltas();
  for (const { order, subOrders } of all) {
    const affiliateId = order.affiliate_id;
    if (!affiliateId) continue;
    for (const sub of subOrders)
      rollups.add(
        {
          affiliateId,
          paidAt: order.paid_at,
          trackingId: order.tracking_id ?? null,
          sub1: order.sub1 ?? null,
          productId: sub.product_id,
          currency: sub.settlement_currency,
        },
        {
          status: sub.status,
          commissionMinor: BigInt(sub.commission_settlement_minor),
          settledMinor: null,
        },
      );
  }
  await rollups.writeTo(ctx);
  await emitEach(ctx, all, (w) => w.order.affiliate_id ?? null, paidOrderEvents);
}
