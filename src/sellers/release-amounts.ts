import type { AccountRef } from '../ledger/schema.js';
import { PROGRAM_OWNER } from '../ledger/schema.js';
import { convertMoney, money, parseFxRate } from '../money.js';
import type { SubOrderRow } from '../orders/plan-order.js';

export type ReleaseSubOrder = Pick<
  SubOrderRow,
  'paid_minor' | 'currency' | 'settlement_currency' | 'fx_rate' | 'settled_minor'
>;

/**
 * A seller's release flows from the buyers' money the program holds (`marketplace_sales`)
 * to what it owes the seller (`seller_payable`); a correction flows back.
 */
export function sellerAccounts(
  sellerId: string,
  currency: string,
): { debit: AccountRef; credit: AccountRef } {
  return {
    debit: { kind: 'marketplace_sales', ownerId: PROGRAM_OWNER, currency },
    credit: { kind: 'seller_payable', ownerId: sellerId, currency },
  };
}

/** What the buyer paid for the items after refunds, in the settlement currency (one rounding). */
export function saleInSettlementMinor(sub: ReleaseSubOrder, refundedMinor: bigint): bigint {
  const base = sub.paid_minor - refundedMinor;
  if (base <= 0n) return 0n;
  if (sub.currency === sub.settlement_currency) return base;
  const fx = parseFxRate(sub.currency, sub.settlement_currency, sub.fx_rate ?? '1');
  return convertMoney(money(base, sub.currency), fx).amountMinor;
}

/**
 * What the seller should have been released for a settled sub-order, given the refunds so
 * far and the commission clawed back so far: the sale after refunds minus the commission
 * the affiliate keeps (posted at settlement, less clawbacks). Zero or less releases nothing.
 */
export function releaseTargetMinor(
  sub: ReleaseSubOrder,
  refundedMinor: bigint,
  clawedBackMinor: bigint,
): { saleMinor: bigint; commissionMinor: bigint; targetMinor: bigint } {
  const saleMinor = saleInSettlementMinor(sub, refundedMinor);
  const commissionMinor = (sub.settled_minor ?? 0n) - clawedBackMinor;
  const net = saleMinor - commissionMinor;
  return { saleMinor, commissionMinor, targetMinor: net > 0n ? net : 0n };
}
