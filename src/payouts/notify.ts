import { affiliateEmails, findAffiliate } from '../affiliates/queries.js';
import type { Ctx } from '../context.js';
import { formatMoney } from '../money.js';
import { enqueueEmail, enqueueEmails, type OutboxEmail } from '../notifications/enqueue-email.js';
import type { Withdrawal } from './schema.js';

export type WithdrawalEvent = 'sent' | 'succeeded' | 'failed' | 'returned';

/**
 * Queues the emails that tell affiliates where their money is, in the transaction that
 * moved it: sent to the bank, paid, refused or returned (with the bank's reason and the
 * amount given back, fee included). Each event of a withdrawal emails once.
 */
export async function notifyWithdrawals(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
  withdrawals: readonly Withdrawal[],
  event: WithdrawalEvent,
): Promise<void> {
  const emails = await affiliateEmails(
    ctx.db,
    withdrawals.map((w) => w.affiliateId),
  );
  await enqueueEmails(
    ctx,
    withdrawals.flatMap((w) => {
      const to = emails.get(w.affiliateId);
      return to ? [withdrawalEmail(w, event, to)] : [];
    }),
  );
}

export function notifyWithdrawal(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
  w: Withdrawal,
  event: WithdrawalEvent,
): Promise<void> {
  return notifyWithdrawals(ctx, [w], event);
}

function withdrawalEmail(w: Withdrawal, event: WithdrawalEvent, to: string): OutboxEmail {
  const show = (minor: bigint) => formatMoney({ amountMinor: minor, currency: w.currency });
  const reason = [w.reasonCode, w.reasonText].filter(Boolean).join(': ') || 'no reason given';
  const texts: Record<WithdrawalEvent, [string, string]> = {
    sent: [
      `Your withdrawal of ${show(w.amountMinor)} is on its way`,
      `Withdrawal ${w.id}: ${show(w.netMinor)} is on its way to your bank account (fee ${show(w.feeMinor)}, ${show(w.amountMinor)} in all).`,
    ],
    succeeded: [
      `Your withdrawal of ${show(w.amountMinor)} was paid`,
      `Withdrawal ${w.id}: your bank received ${show(w.netMinor)} (fee ${show(w.feeMinor)}).`,
    ],
    failed: [
      `Your withdrawal of ${show(w.amountMinor)} failed`,
      `Withdrawal ${w.id} could not be paid: ${reason}. The full ${show(w.amountMinor)}, fee included, is back in your available balance.`,
    ],
    returned: [
      `Your withdrawal of ${show(w.amountMinor)} came back`,
      `Withdrawal ${w.id} was returned by the bank: ${reason}. The full ${show(w.amountMinor)}, fee included, is back in your available balance.`,
    ],
  };
  const [subject, text] = texts[event];
  return { key: `withdrawal_${event}:${w.id}`, kind: `withdrawal_${event}`, to, subject, text };
}

/** The bank could not pay into the affiliate's account: they must enter a new one. */
export async function notifyBankAccountFlagged(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  affiliateId: string,
  bankAccountId: string,
  reason: string,
): Promise<void> {
  const affiliate = await findAffiliate(ctx.db, affiliateId);
  if (!affiliate) return;
  await enqueueEmail(ctx, {
    key: `bank_account_needs_update:${bankAccountId}`,
    kind: 'bank_account_needs_update',
    to: affiliate.email,
    subject: 'Please update your payout bank account',
    text: `Your bank refused a payout to the account on file (${reason}). Withdrawals are paused until you enter a new bank account.`,
  });
}
