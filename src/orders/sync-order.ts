import type { Selectable } from 'kysely';
import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import type { SubOrdersTable } from '../db/types.js';
import { transfer } from '../ledger/transfer.js';
import { transfersFor } from '../ledger/transfers-for.js';
import { money, parseFxRate } from '../money.js';
import { getSettings } from '../settings/get-settings.js';
import {
  clawbackKey,
  commissionAccounts,
  commissionKey,
  settlementKey,
  voidKey,
} from './commission-transfers.js';
import { computeCommission } from './compute-commission.js';
import { decideSubOrder } from './life-cycle.js';
import { subOrderFacts } from './order-facts.js';

export type SubOrderSummary = { subOrderId: string; status: SubOrderStatusName };
type SubOrderStatusName = Selectable<SubOrdersTable>['status'];
type SubOrderRow = Selectable<SubOrdersTable>;

/**
 * Brings an order's sub-orders to the state their events and the time call for, and books
 * what that means in the ledger: a void when a sub-order becomes Invalid, a post (of the
 * commission on what is left after refunds) when it settles — only when `settle` is set,
 * which the settlement job does — and a clawback when a settled sub-order is refunded.
 * Every ledger step has its own key, so running this twice books nothing twice.
 */
export async function syncOrder(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  orderId: string,
  options: { settle: boolean },
): Promise<SubOrderSummary[]> {
  const now = ctx.clock.now();
  const order = await ctx.db
    .selectFrom('orders')
    .selectAll()
    .where('order_id', '=', orderId)
    .executeTakeFirstOrThrow();
  const subs = await ctx.db
    .selectFrom('sub_orders')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('sub_order_id')
    .execute();
  const events = await ctx.db
    .selectFrom('merchant_events')
    .select(['type', 'data', 'occurred_at'])
    .where('order_id', '=', orderId)
    .where('type', '<>', 'order.paid')
    .execute();
  const settings = await getSettings(ctx.db, new Date(order.paid_at));
  const rules = {
    settlementDelayDays: settings.settlementDelayDays,
    invalidAfterDays: settings.invalidAfterDays,
  };
  const summaries: SubOrderSummary[] = [];
  for (const sub of subs) {
    // Invalid from the start (not attributed, self-purchase) or already voided: final.
    if (sub.status === 'invalid' || !order.affiliate_id) {
      summaries.push({ subOrderId: sub.sub_order_id, status: sub.status });
      continue;
    }
    const facts = subOrderFacts(order, sub, events, settings);
    const decision = decideSubOrder(facts, rules, now);
    // Every derived column is written whole, so the row depends on the facts alone and not
    // on the path (the order of events) that led to them.
    const update: Partial<SubOrderRow> = {};
    switch (decision.status) {
      case 'completed_settlement': {
        const refunded = facts.cancelled ? sub.paid_minor : facts.refundedMinor;
        await clawBack(ctx, order.affiliate_id, sub, refunded);
        break;
      }
      case 'invalid':
        if (sub.commission_settlement_minor > 0n)
          await transfer(ctx, {
            kind: 'void',
            key: voidKey(sub.sub_order_id),
            pendingKey: commissionKey(sub.sub_order_id),
            code: 'commission_invalid',
            ref: sub.sub_order_id,
            explanation: decision.reason,
          });
        Object.assign(update, {
          status: 'invalid',
          invalid_reason: decision.reason,
          confirmed_at: null,
          due_at: null,
        });
        break;
      case 'settle': {
        if (!options.settle) {
          Object.assign(update, {
            status: 'buyer_confirmed_receipt',
            confirmed_at: toDbTime(decision.confirmedAt),
            due_at: toDbTime(now),
          });
          break;
        }
        const amount = commissionOn(sub, sub.paid_minor - facts.refundedMinor);
        if (sub.commission_settlement_minor > 0n)
          await transfer(ctx, {
            ...(amount > 0n
              ? { kind: 'post' as const, key: settlementKey(sub.sub_order_id), amountMinor: amount }
              : { kind: 'void' as const, key: voidKey(sub.sub_order_id) }),
            pendingKey: commissionKey(sub.sub_order_id),
            code: 'commission_settlement',
            ref: sub.sub_order_id,
            explanation:
              facts.refundedMinor > 0n
                ? `settled on ${sub.paid_minor - facts.refundedMinor} of ${sub.paid_minor} ${sub.currency} after refunds`
                : 'settled in full',
          });
        Object.assign(update, {
          status: 'completed_settlement',
          confirmed_at: toDbTime(decision.confirmedAt),
          settled_at: toDbTime(now),
          settled_minor: sub.commission_settlement_minor > 0n ? amount : 0n,
          due_at: null,
        });
        break;
      }
      case 'buyer_confirmed_receipt':
        Object.assign(update, {
          status: 'buyer_confirmed_receipt',
          confirmed_at: toDbTime(decision.confirmedAt),
          due_at: toDbTime(decision.dueAt),
        });
        break;
      case 'payment_completed':
        Object.assign(update, {
          status: 'payment_completed',
          confirmed_at: null,
          due_at: toDbTime(decision.dueAt),
        });
        break;
    }
    if (Object.keys(update).length > 0)
      await ctx.db
        .updateTable('sub_orders')
        .set(update)
        .where('sub_order_id', '=', sub.sub_order_id)
        .execute();
    summaries.push({ subOrderId: sub.sub_order_id, status: update.status ?? sub.status });
  }
  return summaries;
}

/** The commission, in the settlement currency, on `baseMinor` at the sub-order's locked rates. */
export function commissionOn(sub: SubOrderRow, baseMinor: bigint): bigint {
  if (baseMinor <= 0n) return 0n;
  return computeCommission({
    paid: money(baseMinor, sub.currency),
    rateBp: Number(sub.rate_bp),
    rule: 'locked at payment',
    newBuyerBonusBp: 0,
    fx: {
      ...parseFxRate(sub.currency, sub.settlement_currency, sub.fx_rate ?? '1'),
      text: sub.fx_rate ?? '1',
    },
  }).settlement.amountMinor;
}

/** A refund after settlement: takes back what was posted above the commission on what is left. */
async function clawBack(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  affiliateId: string,
  sub: SubOrderRow,
  refundedMinor: bigint,
): Promise<void> {
  const posted = sub.settled_minor ?? 0n;
  if (refundedMinor <= 0n || posted === 0n) return;
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
