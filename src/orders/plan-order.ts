import type { Selectable } from 'kysely';
import { toDbTime } from '../db/time.js';
import type { OrdersTable, SubOrdersTable } from '../db/types.js';
import { applyBasisPoints, convertMoney, money, parseFxRate } from '../money.js';
import type { ProgramSettings } from '../settings/schema.js';
import { decideSubOrder } from './life-cycle.js';
import { type OrderEvent, type OrderFlag, subOrderFacts } from './order-facts.js';

// Only the columns the life cycle reads: the explanation and attribution texts stay on disk.
export const SUB_ORDER_COLUMNS = [
  'sub_order_id',
  'order_id',
  'product_id',
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
export type SubOrderRow = Pick<Selectable<SubOrdersTable>, (typeof SUB_ORDER_COLUMNS)[number]>;
export type OrderRow = Pick<Selectable<OrdersTable>, 'order_id' | 'affiliate_id' | 'paid_at'>;

export type SubOrderSummary = {
  subOrderId: string;
  status: SubOrderRow['status'];
  /** Whether this sync moved it (to the status given). */
  changed?: boolean;
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

export type LedgerStep =
  | { kind: 'void'; subOrderId: string; reason: string }
  | { kind: 'post'; subOrderId: string; amountMinor: bigint; explanation: string }
  | { kind: 'clawback'; affiliateId: string; sub: SubOrderRow; refundedMinor: bigint }
  /** The seller's release corrected for a refund after settlement (after any clawback). */
  | { kind: 'seller_correction'; sub: SubOrderRow; refundedMinor: bigint };

export type Plan = { states: SubOrderState[]; steps: LedgerStep[]; summaries: SubOrderSummary[] };

/** What the facts call for, decided in memory: new derived columns and the ledger steps. */
export function planOrder(
  order: OrderRow,
  subs: readonly SubOrderRow[],
  events: readonly OrderEvent[],
  settings: ProgramSettings,
  now: Date,
  settle: boolean,
  flags: readonly OrderFlag[] = [],
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
    const facts = subOrderFacts(order, sub, events, settings, flags);
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
        if (refunded > 0n)
          plan.steps.push({ kind: 'seller_correction', sub, refundedMinor: refunded });
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
