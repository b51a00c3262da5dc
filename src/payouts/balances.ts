import { getAffiliate } from '../affiliates/queries.js';
import type { Ctx } from '../context.js';
import { affiliateBalance } from '../ledger/affiliate-balance.js';
import { getSettings } from '../settings/get-settings.js';
import { paidOut } from './queries.js';

/** Every state of an affiliate's money, in the program's currency. */
export type Balances = {
  affiliateId: string;
  currency: string;
  /** Commission on orders paid, not yet settled. */
  estimatedMinor: bigint;
  /** Settled and not withdrawn: what can be withdrawn now. */
  availableMinor: bigint;
  /** Withdrawals on their way to the bank (net and fee). */
  inTransitMinor: bigint;
  /** Withdrawals the bank confirmed (net and fee)… */
  paidOutMinor: bigint;
  /** …of which fees. */
  feesPaidMinor: bigint;
  /** Clawbacks beyond the balance, netted against later earnings before any withdrawal. */
  negativeCarryMinor: bigint;
};

export async function getBalances(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  affiliateId: string,
): Promise<Balances> {
  await getAffiliate(ctx.db, affiliateId);
  const { settlementCurrency: currency } = await getSettings(ctx.db, ctx.clock.now());
  const ledger = await affiliateBalance(ctx.db, affiliateId, currency);
  const paid = await paidOut(ctx.db, affiliateId, currency);
  return {
    affiliateId,
    currency,
    estimatedMinor: ledger.estimatedMinor,
    availableMinor: ledger.availableMinor,
    inTransitMinor: ledger.inTransitMinor,
    paidOutMinor: paid.paidMinor,
    feesPaidMinor: paid.feesMinor,
    negativeCarryMinor: ledger.negativeCarryMinor,
  };
}
