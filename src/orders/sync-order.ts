import type { Ctx } from '../context.js';
import { selectWhereIn } from '../db/select-where-in.js';
import { flagsOfOrders } from '../fraud/flags.js';
import { type PendingResolution, resolvePendingBatch } from '../ledger/resolve-pending-batch.js';
import { transfer } from '../ledger/transfer.js';
import { transfersFor } from '../ledger/transfers-for.js';
import { groupBy } from '../lib/group-by.js';
import { correctSellerRelease } from '../sellers/correct-seller-release.js';
import type { ProgramSettings } from '../settings/schema.js';
import { loadSettingsTimeline } from '../settings/settings-timeline.js';
import { emitEach } from '../webhooks/emit-events.js';
import {
  clawbackKey,
  commissionAccounts,
  commissionKey,
  settlementKey,
  voidKey,
} from './commission-transfers.js';
import { type EventOrder, syncedOrderEvents } from './order-events.js';
import {
  commissionOn,
  type OrderRow,
  type Plan,
  planOrder,
  SUB_ORDER_COLUMNS,
  type SubOrderRow,
  type SubOrderSummary,
} from './plan-order.js';
import { type Clawback, rollupChanges } from './sync-rollups.js';
import { updateSubOrders } from './update-sub-orders.js';

type SyncCtx = Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>;
type SyncOptions = {
  /** Post due commissions (the settlement job); otherwise settlement waits for it. */
  settle: boolean;
  /** The settings history, when the caller has it loaded already. */
  settings?: { at(at: Date): ProgramSettings };
};

/**
 * Brings an order's sub-orders to the state their events and the time call for, and books
 * what that means in the ledger: a void when a sub-order becomes Invalid, a post (of the
 * commission on what is left after refunds) when it settles — only when `settle` is set,
 * which the settlement job does — and a clawback when a settled sub-order is refunded.
 * Every ledger step has its own key, so running this twice books nothing twice. The moves
 * to settled and Invalid are queued for the affiliate's webhooks and postbacks.
 */
export async function syncOrder(
  ctx: SyncCtx,
  orderId: string,
  options: SyncOptions,
): Promise<SubOrderSummary[]> {
  return (await syncOrders(ctx, [orderId], options)).get(orderId) ?? [];
}

/** syncOrder for many orders at once: a few reads, one plan each in memory, bulk writes. */
export async function syncOrders(
  ctx: SyncCtx,
  orderIds: readonly string[],
  options: SyncOptions,
): Promise<Map<string, SubOrderSummary[]>> {
  const now = ctx.clock.now();
  // The orders are locked first (PostgreSQL): an event for one of them waits, or is
  // waited for, so the sub-orders and events read next are the whole story — a refund
  // committed meanwhile cannot slip past a settlement.
  const orders = await selectWhereIn<OrderRow & EventOrder & { sub1: string | null }>(ctx, {
    from: 'orders',
    columns: ['order_id', 'affiliate_id', 'paid_at', 'tracking_id', 'click_id', 'sub1'],
    column: 'order_id',
    values: orderIds,
    forUpdate: true,
  });
  const subs = (
    await selectWhereIn<SubOrderRow>(ctx, {
      from: 'sub_orders',
      columns: SUB_ORDER_COLUMNS,
      column: 'order_id',
      values: orderIds,
    })
  ).sort((a, b) =>
    a.sub_order_id < b.sub_order_id ? -1 : a.sub_order_id > b.sub_order_id ? 1 : 0,
  );
  const events = await selectWhereIn<{ order_id: string; type: string; data: string }>(ctx, {
    from: 'merchant_events',
    columns: ['order_id', 'type', 'data'],
    column: 'order_id',
    values: orderIds,
    and: "type <> 'order.paid'",
  });
  // Fraud flags: an open one holds settlement, an invalidated one makes the order Invalid.
  const flagsOf = groupBy(await flagsOfOrders(ctx, orderIds), (f) => f.order_id);
  const timeline = options.settings ?? (await loadSettingsTimeline(ctx.db));
  const subsOf = groupBy(subs, (s) => s.order_id);
  const eventsOf = groupBy(
    events.map((e) => ({
      order_id: e.order_id,
      type: e.type,
      values: JSON.parse(e.data) as Record<string, unknown>,
    })),
    (e) => e.order_id,
  );
  const plans = new Map<string, Plan>();
  for (const order of orders) {
    plans.set(
      order.order_id,
      planOrder(
        order,
        subsOf.get(order.order_id) ?? [],
        eventsOf.get(order.order_id) ?? [],
        timeline.at(new Date(order.paid_at)),
        now,
        options.settle,
        flagsOf.get(order.order_id) ?? [],
      ),
    );
  }
  const clawbacks = await applyPlans(ctx, [...plans.values()]);
  await rollupChanges(orders, subsOf, plans, clawbacks).writeTo(ctx);
  // The affiliates' webhooks and postbacks hear of what settled or became Invalid.
  await emitEach(
    ctx,
    orders,
    (order) => order.affiliate_id,
    (order) => {
      const plan = plans.get(order.order_id);
      return plan ? syncedOrderEvents(order, subsOf.get(order.order_id) ?? [], plan) : [];
    },
  );
  return new Map([...plans].map(([id, plan]) => [id, plan.summaries]));
}

async function applyPlans(ctx: SyncCtx, plans: readonly Plan[]): Promise<Clawback[]> {
  const resolutions = plans.flatMap((plan) =>
    plan.steps.flatMap((step): PendingResolution[] => {
      if (step.kind === 'clawback' || step.kind === 'seller_correction') return [];
      const common = { pendingKey: commissionKey(step.subOrderId), ref: step.subOrderId };
      return step.kind === 'post'
        ? [
            {
              ...common,
              kind: 'post' as const,
              key: settlementKey(step.subOrderId),
              amountMinor: step.amountMinor,
              code: 'commission_settlement',
              explanation: step.explanation,
            },
          ]
        : [
            {
              ...common,
              kind: 'void' as const,
              key: voidKey(step.subOrderId),
              code: 'commission_invalid',
              explanation: step.reason,
            },
          ];
    }),
  );
  const outcomes = await resolvePendingBatch(ctx, resolutions);
  const refused = outcomes.findIndex(
    (o) => o === 'conflict' || o === 'not_found' || o === 'amount_exceeds_pending',
  );
  if (refused >= 0)
    throw new Error(`ledger refused ${resolutions[refused]?.key}: ${outcomes[refused]}`);
  const clawbacks: Clawback[] = [];
  for (const plan of plans)
    for (const step of plan.steps)
      if (step.kind === 'clawback') {
        const amountMinor = await clawBack(ctx, step.affiliateId, step.sub, step.refundedMinor);
        if (amountMinor > 0n) clawbacks.push({ sub: step.sub, amountMinor });
      }
  // The seller's release follows the clawback booked just above.
  for (const plan of plans)
    for (const step of plan.steps)
      if (step.kind === 'seller_correction')
        await correctSellerRelease(ctx, step.sub, step.refundedMinor);
  await updateSubOrders(
    ctx,
    plans.flatMap((plan) => plan.states),
  );
  return clawbacks;
}

/**
 * A refund after settlement: takes back what was posted above the commission on what is
 * left. Returns what it took back now (0 when nothing more was due).
 */
async function clawBack(
  ctx: SyncCtx,
  affiliateId: string,
  sub: SubOrderRow,
  refundedMinor: bigint,
): Promise<bigint> {
  const posted = sub.settled_minor ?? 0n;
  const due = posted - commissionOn(sub, sub.paid_minor - refundedMinor);
  const already = (await transfersFor(ctx.db, sub.sub_order_id))
    .filter((t) => t.code === 'clawback')
    .reduce((sum, t) => sum + t.amountMinor, 0n);
  if (due - already <= 0n) return 0n;
  const { debit, credit } = commissionAccounts(affiliateId, sub.settlement_currency);
  await transfer(ctx, {
    kind: 'posted',
    key: clawbackKey(sub.sub_order_id, refundedMinor),
    debit: credit,
    credit: debit,
    amountMinor: due - already,
    code: 'clawback',
    ref: sub.sub_order_id,
    explanation: `refund of ${refundedMinor} ${sub.currency} after settlement: commission taken back`,
  });
  return due - already;
}
