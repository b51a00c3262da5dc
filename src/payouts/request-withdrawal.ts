import { type Ctx, inTransaction } from '../context.js';
import { toDbTime } from '../db/time.js';
import { takeWriteLock } from '../db/write-lock.js';
import { AppError } from '../errors.js';
import { createTransfersBatch } from '../ledger/create-transfers-batch.js';
import { lockAccount } from '../ledger/lock-account.js';
import { parseInput } from '../lib/parse-input.js';
import { getSettings } from '../settings/get-settings.js';
import { affiliateAccountId, checkWithdrawal } from './check-withdrawal.js';
import { notifyWithdrawal } from './notify.js';
import { payoutId } from './payout-id.js';
import { toWithdrawal } from './queries.js';
import {
  type Withdrawal,
  type WithdrawalQuote,
  type WithdrawalRequest,
  withdrawalRequest,
} from './schema.js';
import { withdrawalPendings } from './withdrawal-transfers.js';

/** What a withdrawal of this amount would cost and bring, checked as a request would be. */
export async function quoteWithdrawal(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  affiliateId: string,
  amountMinor: bigint,
): Promise<WithdrawalQuote> {
  const { bankAccountId: _id, ...quote } = await checkWithdrawal(ctx, affiliateId, amountMinor);
  return quote;
}

/**
 * Confirms a withdrawal: in one transaction that holds the affiliate's balance, checks it
 * (checkWithdrawal) and moves the amount from available to in transit, the fee with it.
 * Two requests against one balance run one after the other, so neither can overdraw. With
 * an idempotency key, the same request again returns the first withdrawal; the same key
 * with another amount is refused.
 */
export async function requestWithdrawal(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
  input: WithdrawalRequest,
): Promise<{ withdrawal: Withdrawal; replayed: boolean }> {
  const request = parseInput(withdrawalRequest, input);
  return inTransaction(ctx, async (tx) => {
    await takeWriteLock(tx);
    const settings = await getSettings(tx.db, tx.clock.now());
    await lockAccount(tx, affiliateAccountId(request.affiliateId, settings.settlementCurrency));
    const key = request.idempotencyKey;
    const earlier =
      key === undefined
        ? undefined
        : await tx.db
            .selectFrom('withdrawals')
            .selectAll()
            .where('affiliate_id', '=', request.affiliateId)
            .where('idempotency_key', '=', key)
            .executeTakeFirst();
    if (earlier) {
      if (earlier.amount_minor !== request.amountMinor)
        throw new AppError(
          'idempotency_conflict',
          `idempotency key ${key} was used for a withdrawal of ${earlier.amount_minor}, not ${request.amountMinor}`,
        );
      return { withdrawal: toWithdrawal(earlier), replayed: true };
    }
    const quote = await checkWithdrawal(tx, request.affiliateId, request.amountMinor, settings);
    const row = {
      id: payoutId('wd', tx.clock),
      affiliate_id: request.affiliateId,
      bank_account_id: quote.bankAccountId,
      rail: quote.rail,
      currency: quote.currency,
      amount_minor: quote.amountMinor,
      fee_minor: quote.feeMinor,
      net_minor: quote.netMinor,
      state: 'processing' as const,
      source: 'request' as const,
      idempotency_key: key ?? null,
      period: null,
      batch_id: null,
      requested_at: toDbTime(tx.clock.now()),
      exported_at: null,
      succeeded_at: null,
      failed_at: null,
      reason_code: null,
      reason_text: null,
      bank_date: null,
    };
    await tx.db.insertInto('withdrawals').values(row).execute();
    await createTransfersBatch(
      tx,
      withdrawalPendings(
        {
          id: row.id,
          affiliateId: row.affiliate_id,
          currency: row.currency,
          netMinor: row.net_minor,
          feeMinor: row.fee_minor,
        },
        quote.bankAccount,
      ),
    );
    const withdrawal = toWithdrawal(row);
    // A manual payout has no bank file: it is with the operator from now on.
    if (withdrawal.rail === 'manual') await notifyWithdrawal(tx, withdrawal, 'sent');
    return { withdrawal, replayed: false };
  });
}
