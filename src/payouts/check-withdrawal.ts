import { bankAccountForWithdrawal } from '../affiliates/payout-accounts.js';
import { getAffiliate } from '../affiliates/queries.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { accountId } from '../ledger/accounts.js';
import { affiliateBalance } from '../ledger/affiliate-balance.js';
import { formatMoney } from '../money.js';
import { getSettings } from '../settings/get-settings.js';
import type { ProgramSettings } from '../settings/schema.js';
import { railFor } from './rail-for.js';
import type { WithdrawalQuote } from './schema.js';

/**
 * Everything a withdrawal must pass, without writing: an approved affiliate, a bank account
 * the bank has not refused, at least the minimum, at most the available balance. Returns
 * the quote: fee, net and rail. Inside a transaction that locked the balance (as
 * requestWithdrawal does), its answer still holds when the transfers are written.
 */
export async function checkWithdrawal(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  affiliateId: string,
  amountMinor: bigint,
  /** The settings in force, when the caller has read them already. */
  known?: ProgramSettings,
): Promise<WithdrawalQuote & { bankAccountId: string }> {
  const affiliate = await getAffiliate(ctx.db, affiliateId);
  if (affiliate.status !== 'approved')
    throw new AppError(
      'affiliate_not_approved',
      `affiliate ${affiliateId} is ${affiliate.status}: withdrawals wait until the account is approved`,
    );
  const account = await bankAccountForWithdrawal(ctx.db, affiliateId);
  const settings = known ?? (await getSettings(ctx.db, ctx.clock.now()));
  const currency = settings.settlementCurrency;
  const show = (minor: bigint) => formatMoney({ amountMinor: minor, currency });
  if (amountMinor < settings.minWithdrawalMinor)
    throw new AppError(
      'amount_below_minimum',
      `the minimum withdrawal is ${show(settings.minWithdrawalMinor)}; ${show(amountMinor)} is below it`,
    );
  const balance = await affiliateBalance(ctx.db, affiliateId, currency);
  if (amountMinor > balance.availableMinor)
    throw new AppError(
      'insufficient_balance',
      `${show(amountMinor)} is more than the available ${show(balance.availableMinor)}` +
        (balance.negativeCarryMinor > 0n
          ? ` (a negative carry of ${show(balance.negativeCarryMinor)} is settled first)`
          : ''),
    );
  const feeMinor = settings.withdrawalFeeMinor;
  return {
    affiliateId,
    currency,
    amountMinor,
    feeMinor,
    netMinor: amountMinor - feeMinor,
    availableMinor: balance.availableMinor,
    minimumMinor: settings.minWithdrawalMinor,
    rail: railFor(account, settings),
    bankAccount: account.accountMasked,
    bankAccountId: account.id,
  };
}

/** The affiliate's ledger account in the program's currency. */
export function affiliateAccountId(affiliateId: string, currency: string): string {
  return accountId({ kind: 'affiliate', ownerId: affiliateId, currency });
}
