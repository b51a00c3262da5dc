import type { Selectable } from 'kysely';
import type { Ctx } from '../context.js';
import { selectWhereIn } from '../db/select-where-in.js';
import { toDbTime } from '../db/time.js';
import type { OrdersTable, SubOrdersTable } from '../db/types.js';
import { type PendingResolution, resolvePendingBatch } from '../ledger/resolve-pending-batch.js';
import { transfer } from '../ledger/transfer.js';
import { transfersFor } from '../ledger/transfers-for.js';
import { applyBasisPoints, convertMoney, money, parseFxRate } from '../money.js';
import type { ProgramSettings } from '../settings/schema.js';
import { loadSettingsTimeline } from '../settings/settings-timeline.js';
import {
  clawbackKey,
  commissionAccounts,
  commissionKey,
  settlementKey,
  voidKey,
} from './commission-transfers.js';
import { decideSubOrder } from './life-cycle.js';
import { type OrderEvent, subOrderFacts } from './order-facts.js';
import { updateSubOrders } from './update-sub-orders.js';

// Only the columns the life cycle reads: the explanation and attribution texts stay on disk.
const SUB_ORDER_COLUMNS = [
  'sub_order_id',
  'order_id',
  'status',
  'paid_minor',
  'currency',
  'rate_bp',
  'fx_rate',
  'settlement_currency',
  'commission_settlement_minor',
  'invalid_reason',
  'confirmed_at',
  'due_at',
  'settled_at',
  'settled_minor',
] as const;
type SubOrderRow = Pick<Selectable<SubOrdersTable>, (typeof SUB_ORDER_COLUMNS)[number]>;
type OrderRow = Pick<Selectable<OrdersTable>, 'order_id' | 'affiliate_id' | 'paid_at'>;

export type SubOrderSummary = {
  subOrderId: string;
  status: SubOrderRow['status'];
  /** Whether this sync moved it (to the status given). */
  changed?: boolean;
};
type SyncCtx = Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>;
type SyncOptions = {
  /** Post due commissions (the settlement job); otherwise settlement waits for it. */
  settle: boolean;
  /** The settings history, when the caller has it loaded already. */
  settings?: { at(at: Date): ProgramSettings };
};

/** The derived columns of a sub-order, written whole. */
export type SubOrderState = Pick<
  SubOrderRow,
  | 'sub_order_id'
  | 'status'
  | 'invalid_reason'
  | 'confirmed_at'
  | 'due_at'
  | 'settled_at'
  | 'settled_minor'
>;

type LedgerStep =
  | { kind: 'void'; subOrderId: string; reason: string }
  | { kind: 'post'; subOrderId: string; amountMinor: bigint; explanation: string }
  | { kind: 'clawback'; affiliateId: string; sub: SubOrderRow; refundedMinor: bigint };

type Plan = { states: SubOrderState[]; steps: LedgerStep[]; summaries: SubOrderSummary[] };

/**
 * Brings an order's sub-orders to the state their events and the time call for, and books
 * what that means in the ledger: a void when a sub-order becomes Invalid, a post (of the
 * commission on what is left after refunds) when it settles — only when `settle` is set,
 * which the settlement job does — and a clawback when a settled sub-order is refunded.
 * Every ledger step has its own key, so running this twice books nothing twice.
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
  const orders = await selectWhereIn<OrderRow>(ctx, {
    from: 'orders',
    columns: ['order_id', 'affiliate_id', 'paid_at'],
    column: 'order_id',
    values: orderIds,
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
      ),
    );
  }
  await applyPlans(ctx, [...plans.values()]);
  return new Map([...plans].map(([id, plan]) => [id, plan.summaries]));
}

/** What the facts call for, decided in memory: new derived columns and the ledger steps. */
function planOrder(
  order: OrderRow,
  subs: readonly SubOrderRow[],
  events: readonly OrderEvent[],
  settings: ProgramSettings,
  now: Date,
  settle: boolean,
): Plan {
  const plan: Plan = { states: [], steps: [], summaries: [] };
  const rules = {
    settlementDelayDays: settings.settlementDelayDays,
    invalidAfterDays: settings.invalidAfterDays,
  };
  for (const sub of subs) {
    // Invalid from the start (not attributed, self-purchase) or already voided: final.
    if (sub.status === 'invalid' || !order.affiliate_id) {
      plan.summaries.push({ subOrderId: sub.sub_order_id, status: sub.status });
      continue;
    }
    const facts = subOrderFacts(order, sub, events, settings);
    const decision = decideSubOrder(facts, rules, now);
    // Every derived column is written whole, so the row depends on the facts alone and not
    // on the path (the order of events) that led to them.
    const base = {
      sub_order_id: sub.sub_order_id,
      invalid_reason: null,
      settled_at: null,
      settled_minor: null,
    };
    let state: SubOrderState | undefined;
    switch (decision.status) {
      case 'completed_settlement': {
        const refunded = facts.cancelled ? sub.paid_minor : facts.refundedMinor;
        if (refunded > 0n && (sub.settled_minor ?? 0n) > 0n)
          plan.steps.push({
            kind: 'clawback',
            affiliateId: order.affiliate_id,
            sub,
            refundedMinor: refunded,
          });
        break;
      }
      case 'invalid':
        if (sub.commission_settlement_minor > 0n)
          plan.steps.push({ kind: 'void', subOrderId: sub.sub_order_id, reason: decision.reason });
        state = {
          ...base,
          status: 'invalid',
          invalid_reason: decision.reason,
          confirmed_at: null,
          due_at: null,
        };
        break;
      case 'settle': {
        const confirmedAt = toDbTime(decision.confirmedAt);
        if (!settle) {
          state = {
            ...base,
            status: 'buyer_confirmed_receipt',
            confirmed_at: confirmedAt,
            due_at: toDbTime(now),
          };
          break;
        }
        const amount = commissionOn(sub, sub.paid_minor - facts.refundedMinor);
        if (sub.commission_settlement_minor > 0n) {
          plan.steps.push(
            amount > 0n
              ? {
                  kind: 'post',
                  subOrderId: sub.sub_order_id,
                  amountMinor: amount,
                  explanation:
                    facts.refundedMinor > 0n
                      ? `settled on ${sub.paid_minor - facts.refundedMinor} of ${sub.paid_minor} ${sub.currency} after refunds`
                      : 'settled in full',
                }
              : {
                  kind: 'void',
                  subOrderId: sub.sub_order_id,
                  reason: 'nothing left to settle after refunds',
                },
          );
        }
        state = {
          ...base,
          status: 'completed_settlement',
          confirmed_at: confirmedAt,
          due_at: null,
          settled_at: toDbTime(now),
          settled_minor: sub.commission_settlement_minor > 0n ? amount : 0n,
        };
        break;
      }
      case 'buyer_confirmed_receipt':
        state = {
          ...base,
          status: 'buyer_confirmed_receipt',
          confirmed_at: toDbTime(decision.confirmedAt),
          due_at: toDbTime(decision.dueAt),
        };
        break;
      case 'payment_completed':
        state = {
          ...base,
          status: 'payment_completed',
          confirmed_at: null,
          due_at: toDbTime(decision.dueAt),
        };
        break;
    }
    const moved = state !== undefined && changed(sub, state);
    if (moved) plan.states.push(state as SubOrderState);
    plan.summaries.push({
      subOrderId: sub.sub_order_id,
      status: state?.status ?? sub.status,
      changed: moved,
    });
  }
  return plan;
}

async function applyPlans(ctx: SyncCtx, plans: readonly Plan[]): Promise<void> {
  const resolutions = plans.flatMap((plan) =>
    plan.steps.flatMap((step): PendingResolution[] => {
      if (step.kind === 'clawback') return [];
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
  for (const plan of plans)
    for (const step of plan.steps)
      if (step.kind === 'clawback')
        await clawBack(ctx, step.affiliateId, step.sub, step.refundedMinor);
  await updateSubOrders(
    ctx,
    plans.flatMap((plan) => plan.states),
  );
}

/** The commission, in the settlement currency, on `baseMinor` at the sub-order's locked rates. */
export function commissionOn(
  sub: Pick<SubOrderRow, 'currency' | 'rate_bp' | 'settlement_currency' | 'fx_rate'>,
  baseMinor: bigint,
): bigint {
  if (baseMinor <= 0n) return 0n;
  // The same two roundings as computeCommission, without writing the explanation again.
  const commission = applyBasisPoints(money(baseMinor, sub.currency), Number(sub.rate_bp));
  if (sub.currency === sub.settlement_currency) return commission.amountMinor;
  const fx = parseFxRate(sub.currency, sub.settlement_currency, sub.fx_rate ?? '1');
  return convertMoney(commission, fx).amountMinor;
}

/** A refund after settlement: takes back what was posted above the commission on what is left. */
async function clawBack(
  ctx: SyncCtx,
  affiliateId: string,
  sub: SubOrderRow,
  refundedMinor: bigint,
): Promise<void> {
  const posted = sub.settled_minor ?? 0n;
  const due = posted - commissionOn(sub, sub.paid_minor - refundedMinor);
  const already = (await transfersFor(ctx.db, sub.sub_order_id))
    .filter((t) => t.code === 'clawback')
    .reduce((sum, t) => sum + t.amountMinor, 0n);
  if (due - already <= 0n) return;
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
}

function changed(row: SubOrderRow, state: SubOrderState): boolean {
  return (
    row.status !== state.status ||
    row.invalid_reason !== state.invalid_reason ||
    row.confirmed_at !== state.confirmed_at ||
    row.due_at !== state.due_at ||
    row.settled_at !== state.settled_at ||
    row.settled_minor !== state.settled_minor
  );
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
