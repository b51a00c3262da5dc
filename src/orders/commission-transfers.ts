import { type AccountRef, PROGRAM_OWNER } from '../ledger/schema.js';

// The ledger keys of a sub-order's commission: one per effect, so every step is idempotent.
export const COMMISSION_KEY_PREFIX = 'commission:';
export const SETTLEMENT_KEY_PREFIX = 'settle:';
export const commissionKey = (subOrderId: string) => `${COMMISSION_KEY_PREFIX}${subOrderId}`;
export const settlementKey = (subOrderId: string) => `${SETTLEMENT_KEY_PREFIX}${subOrderId}`;
export const voidKey = (subOrderId: string) => `void:${subOrderId}`;
/** One clawback per cumulative refunded amount: re-running a sync books nothing new. */
export const clawbackKey = (subOrderId: string, refundedMinor: bigint) =>
  `clawback:${subOrderId}:${refundedMinor}`;

/** Commission flows from the program's commission expense to the affiliate's account. */
export function commissionAccounts(
  affiliateId: string,
  currency: string,
): { debit: AccountRef; credit: AccountRef } {
  return {
    debit: { kind: 'commission_expense', ownerId: PROGRAM_OWNER, currency },
    credit: { kind: 'affiliate', ownerId: affiliateId, currency },
  };
}
