import { eligiblePayees } from '../affiliates/payout-accounts.js';
import { type Ctx, inTransaction } from '../context.js';
import { type BulkSpec, bulkUpsertAll } from '../db/bulk-upsert.js';
import { toDbTime } from '../db/time.js';
import { takeWriteLock } from '../db/write-lock.js';
import { availableSettledBefore } from '../ledger/available-by.js';
import { createTransfersBatch } from '../ledger/create-transfers-batch.js';
import { lockAccounts } from '../ledger/lock-account.js';
import type { ProgramSettings } from '../settings/schema.js';
import { affiliateAccountId } from './check-withdrawal.js';
import { notifyWithdrawals } from './notify.js';
import { payoutId } from './payout-id.js';
import { paidForPeriod, toWithdrawal } from './queries.js';
import { railFor } from './rail-for.js';
import type { Withdrawal } from './schema.js';
import { withdrawalPendings } from './withdrawal-transfers.js';

const text = (name: string) => ({ name, type: 'text' as const });
const minor = (name: string) => ({ name, type: 'bigint' as const });
const withdrawalSpec: BulkSpec = {
  table: 'withdrawals',
  columns: [
    ...['id', 'affiliate_id', 'bank_account_id', 'rail', 'currency'].map(text),
    ...['amount_minor', 'fee_minor', 'net_minor'].map(minor),
    ...['state', 'source', 'period', 'requested_at'].map(text),
  ],
  conflict: 'fail',
  update: 'nothing',
};

export type PageOutcome = {
  paid: Withdrawal[];
  alreadyPaid: number;
  belowMinimum: number;
  gone: number;
};

/**
 * One page of a payout run, in one transaction: the affiliates' balances are locked first,
 * then each affiliate still eligible (approved, bank account not refused), not yet paid for
 * the period and with at least the minimum settled before `cutoff` gets a withdrawal of it,
 * with the same ledger transfers as a request (withdrawalPendings). The page commits whole
 * or not at all; (affiliate, period) is unique, so nobody is paid twice.
 */
export async function payPage(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
  affiliateIds: readonly string[],
  period: string,
  settings: ProgramSettings,
  cutoff: Date,
): Promise<PageOutcome> {
  const currency = settings.settlementCurrency;
  return inTransaction(ctx, async (tx) => {
    await takeWriteLock(tx);
    await lockAccounts(
      tx,
      affiliateIds.map((id) => affiliateAccountId(id, currency)),
    );
    const paidBefore = await paidForPeriod(tx.db, affiliateIds, period);
    const eligible = await eligiblePayees(tx.db, affiliateIds);
    const available = await availableSettledBefore(tx, affiliateIds, currency, cutoff);
    const outcome: PageOutcome = { paid: [], alreadyPaid: 0, belowMinimum: 0, gone: 0 };
    const now = toDbTime(tx.clock.now());
    const rows: unknown[][] = [];
    const pendings = [];
    for (const id of affiliateIds) {
      const payee = eligible.get(id);
      const amount = available.get(id) ?? 0n;
      if (paidBefore.has(id)) outcome.alreadyPaid += 1;
      else if (!payee) outcome.gone += 1;
      else if (amount < settings.minWithdrawalMinor) outcome.belowMinimum += 1;
      else {
        const fee = settings.withdrawalFeeMinor;
        const rail = railFor({ kind: payee.bankAccountKind, country: payee.bankCountry }, settings);
        const wid = payoutId('wd', tx.clock);
        rows.push([
          wid,
          id,
          payee.bankAccountId,
          rail,
          currency,
          amount,
          fee,
          amount - fee,
          'processing',
          'payout_run',
          period,
          now,
        ]);
        pendings.push(
          ...withdrawalPendings(
            { id: wid, affiliateId: id, currency, netMinor: amount - fee, feeMinor: fee },
            payee.accountMasked,
          ),
        );
        outcome.paid.push(
          toWithdrawal({
            id: wid,
            affiliate_id: id,
            bank_account_id: payee.bankAccountId,
            rail,
            currency,
            amount_minor: amount,
            fee_minor: fee,
            net_minor: amount - fee,
            state: 'processing',
            source: 'payout_run',
            idempotency_key: null,
            period,
            batch_id: null,
            requested_at: now,
            exported_at: null,
            succeeded_at: null,
            failed_at: null,
            reason_code: null,
            reason_text: null,
            bank_date: null,
          }),
        );
      }
    }
    await bulkUpsertAll(tx, withdrawalSpec, rows);
    await createTransfersBatch(tx, pendings);
    // A manual payout has no bank file: it is with the operator from now on.
    await notifyWithdrawals(
      tx,
      outcome.paid.filter((w) => w.rail === 'manual'),
      'sent',
    );
    return outcome;
  });
}
