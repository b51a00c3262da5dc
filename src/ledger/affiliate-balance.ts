import type { Db } from '../db/types.js';
import { accountId } from './accounts.js';
import { accountBalance } from './balances.js';

export type AffiliateBalance = {
  currency: string;
  /** Commission on orders paid but not yet settled (pending transfers). */
  estimatedMinor: bigint;
  /** Settled commission, less clawbacks and withdrawals; never below zero (see negative carry). */
  availableMinor: bigint;
  /** Withdrawals sent to the bank and not yet confirmed. */
  inTransitMinor: bigint;
  /** Clawbacks beyond the balance: netted against later earnings before anything is withdrawn. */
  negativeCarryMinor: bigint;
};

/** An affiliate's balances in one currency, from their ledger account's sums. */
export async function affiliateBalance(
  db: Db,
  affiliateId: string,
  currency: string,
): Promise<AffiliateBalance> {
  const sums = await accountBalance(
    db,
    accountId({ kind: 'affiliate', ownerId: affiliateId, currency }),
  );
  const net = sums.creditsPosted - sums.debitsPosted - sums.debitsPending;
  return {
    currency,
    estimatedMinor: sums.creditsPending,
    availableMinor: net > 0n ? net : 0n,
    inTransitMinor: sums.debitsPending,
    negativeCarryMinor: net < 0n ? -net : 0n,
  };
}
