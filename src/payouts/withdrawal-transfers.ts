import type { NewTransfer } from '../ledger/create-transfers-batch.js';
import type { PendingResolution } from '../ledger/resolve-pending-batch.js';
import { type AccountRef, PROGRAM_OWNER } from '../ledger/schema.js';
import { formatMoney } from '../money.js';

/**
 * The ledger side of a withdrawal. Requested: two pending transfers from the affiliate, the
 * net to payouts in transit and the fee to withdrawal fees, so both leave the available
 * balance at once. The bank accepts: both are posted. The bank refuses or returns it before
 * accepting: both are voided, and the whole amount, fee included, is available again. The
 * bank returns it after accepting: two correcting transfers bring both back.
 */
export type WithdrawalMoney = {
  id: string;
  affiliateId: string;
  currency: string;
  netMinor: bigint;
  feeMinor: bigint;
};

const affiliate = (w: WithdrawalMoney): AccountRef => ({
  kind: 'affiliate',
  ownerId: w.affiliateId,
  currency: w.currency,
});
const inTransit = (w: WithdrawalMoney): AccountRef => ({
  kind: 'payouts_in_transit',
  ownerId: PROGRAM_OWNER,
  currency: w.currency,
});
const fees = (w: WithdrawalMoney): AccountRef => ({
  kind: 'withdrawal_fees',
  ownerId: PROGRAM_OWNER,
  currency: w.currency,
});
const parts = (w: WithdrawalMoney) =>
  [
    { part: 'net', amount: w.netMinor, other: inTransit(w) },
    { part: 'fee', amount: w.feeMinor, other: fees(w) },
  ].filter((p) => p.amount > 0n);
const keyOf = (w: WithdrawalMoney, part: string) => `withdrawal:${w.id}:${part}`;

export function withdrawalPendings(w: WithdrawalMoney, bankAccount: string): NewTransfer[] {
  return parts(w).map(({ part, amount, other }) => ({
    kind: 'pending',
    key: keyOf(w, part),
    debit: affiliate(w),
    credit: other,
    amountMinor: amount,
    code: part === 'net' ? 'withdrawal' : 'withdrawal_fee',
    ref: w.id,
    explanation:
      part === 'net'
        ? `Withdrawal ${w.id}: ${formatMoney({ amountMinor: amount, currency: w.currency })} to ${bankAccount}`
        : `Fee for withdrawal ${w.id}`,
  }));
}

export function withdrawalResolutions(
  w: WithdrawalMoney,
  kind: 'post' | 'void',
  why: string,
): PendingResolution[] {
  return parts(w).map(({ part }) => ({
    kind,
    key: `${keyOf(w, part)}:${kind}`,
    pendingKey: keyOf(w, part),
    code: kind === 'post' ? 'withdrawal_paid' : 'withdrawal_failed',
    ref: w.id,
    explanation: why,
  }));
}

/** After the bank accepted, the transfer came back: net and fee return to the affiliate. */
export function withdrawalReturns(w: WithdrawalMoney, why: string): NewTransfer[] {
  return parts(w).map(({ part, amount, other }) => ({
    kind: 'posted',
    key: `${keyOf(w, part)}:returned`,
    debit: other,
    credit: affiliate(w),
    amountMinor: amount,
    code: 'withdrawal_returned',
    ref: w.id,
    explanation: why,
  }));
}
