import fs from 'node:fs';
import { expect, it } from 'vitest';
import { setBankAccount } from '../affiliates/bank-accounts.js';
import { currentBankAccount } from '../affiliates/payout-accounts.js';
import { getAffiliate } from '../affiliates/queries.js';
import { auditLedger } from '../ledger/audit-ledger.js';
import { updateSettings } from '../settings/update-settings.js';
import { describeEachDatabase } from '../test/context.js';
import { FRENCH_IBAN, GERMAN_IBAN } from '../test/payouts.js';
import { validateSepa } from '../test/validate-sepa.js';
import { outbox, RESULTS_HEADER, settledAffiliate, tempFile } from '../test/withdrawals.js';
import { getBalances } from './balances.js';
import { exportBatch } from './export-batch.js';
import { importResults } from './import-results.js';
import { getWithdrawal } from './queries.js';
import { quoteWithdrawal, requestWithdrawal } from './request-withdrawal.js';
import { getStatement } from './statement.js';

describeEachDatabase('withdrawals and bank files', (t) => {
  it('settle, withdraw, a refused transfer gives back amount and fee, new account, withdraw again, paid', async () => {
    const ctx = t();
    const affiliateId = await settledAffiliate(ctx);
    expect(await getBalances(ctx, affiliateId)).toMatchObject({
      currency: 'EUR',
      availableMinor: 8000n,
      estimatedMinor: 0n,
    });
    await setBankAccount(ctx, affiliateId, {
      iban: GERMAN_IBAN,
      holderName: 'Zoë Müller & Co',
      country: 'DE',
    });

    expect(await quoteWithdrawal(ctx, affiliateId, 5000n)).toMatchObject({
      amountMinor: 5000n,
      feeMinor: 1500n,
      netMinor: 3500n,
      availableMinor: 8000n,
      rail: 'sepa',
    });
    const first = await requestWithdrawal(ctx, {
      affiliateId,
      amountMinor: 5000n,
      idempotencyKey: 'req-1',
    });
    expect(first.withdrawal).toMatchObject({ state: 'processing', stateLabel: 'Processing' });
    expect(await getBalances(ctx, affiliateId)).toMatchObject({
      availableMinor: 3000n,
      inTransitMinor: 5000n,
    });
    // The same request again is the same withdrawal; the same key for another amount is refused.
    const again = await requestWithdrawal(ctx, {
      affiliateId,
      amountMinor: 5000n,
      idempotencyKey: 'req-1',
    });
    expect(again).toEqual({ withdrawal: first.withdrawal, replayed: true });
    await expect(
      requestWithdrawal(ctx, { affiliateId, amountMinor: 6000n, idempotencyKey: 'req-1' }),
    ).rejects.toMatchObject({ code: 'idempotency_conflict' });

    // The bank file: valid pain.001, the withdrawal id as EndToEndId, the net amount.
    const file = tempFile('batch1.xml');
    const batch = await exportBatch(ctx, { format: 'sepa', file });
    expect(batch).toMatchObject({ transfers: 1, totalMinor: 3500n, currency: 'EUR' });
    const xml = fs.readFileSync(file, 'utf8');
    expect((await validateSepa(xml)).errors).toEqual([]);
    expect(xml).toContain(`<EndToEndId>${first.withdrawal.id}</EndToEndId>`);
    expect(xml).toContain('<InstdAmt Ccy="EUR">35.00</InstdAmt>');
    // Nothing new to export; the batch can be written again, identical.
    expect(await exportBatch(ctx, { format: 'sepa', file: tempFile('none.xml') })).toBeUndefined();
    const again2 = tempFile('again.xml');
    await exportBatch(ctx, { format: 'sepa', file: again2, batchId: batch?.batchId });
    expect(fs.readFileSync(again2, 'utf8')).toBe(xml);

    // The bank refuses it: the whole €50.00, fee included, is available again.
    const refused = `${RESULTS_HEADER}\n${first.withdrawal.id},rejected,AC04,Closed account number,2026-03-05\n`;
    expect(await importResults(ctx, refused)).toMatchObject({ failed: 1 });
    expect(await importResults(ctx, refused)).toMatchObject({ failed: 0, unchanged: 1 });
    expect(await getWithdrawal(ctx.db, first.withdrawal.id)).toMatchObject({
      state: 'failed',
      stateLabel: 'Failed',
      reasonCode: 'AC04',
      reasonText: 'Closed account number',
    });
    expect(await getBalances(ctx, affiliateId)).toMatchObject({
      availableMinor: 8000n,
      inTransitMinor: 0n,
      paidOutMinor: 0n,
    });
    expect(await currentBankAccount(ctx.db, affiliateId)).toMatchObject({
      status: 'needs_update',
      flagReason: 'AC04: Closed account number',
    });
    await expect(requestWithdrawal(ctx, { affiliateId, amountMinor: 2000n })).rejects.toMatchObject(
      { code: 'bank_account_needs_update' },
    );

    // A new account, the whole balance, and this time the bank pays.
    await setBankAccount(ctx, affiliateId, {
      iban: FRENCH_IBAN,
      holderName: 'Zoë Müller',
      country: 'FR',
    });
    const second = await requestWithdrawal(ctx, { affiliateId, amountMinor: 8000n });
    const batch2 = await exportBatch(ctx, { format: 'sepa', file: tempFile('batch2.xml') });
    expect(batch2).toMatchObject({ transfers: 1, totalMinor: 6500n });
    await importResults(ctx, `${RESULTS_HEADER}\n${second.withdrawal.id},accepted,,,2026-03-06\n`);
    expect(await getWithdrawal(ctx.db, second.withdrawal.id)).toMatchObject({
      state: 'succeeded',
      stateLabel: 'Success',
    });
    expect(await getBalances(ctx, affiliateId)).toMatchObject({
      availableMinor: 0n,
      inTransitMinor: 0n,
      paidOutMinor: 8000n,
      feesPaidMinor: 1500n,
    });

    // Every movement is on the statement, with its explanation.
    const statement = await getStatement(ctx, affiliateId, { limit: 100 });
    expect(statement.entries.map((e) => [e.code, e.kind, e.availableDeltaMinor])).toEqual([
      ['commission', 'pending', 0n],
      ['commission_settlement', 'post', 8000n],
      ['withdrawal', 'pending', -3500n],
      ['withdrawal_fee', 'pending', -1500n],
      ['withdrawal_failed', 'void', 3500n],
      ['withdrawal_failed', 'void', 1500n],
      ['withdrawal', 'pending', -6500n],
      ['withdrawal_fee', 'pending', -1500n],
      ['withdrawal_paid', 'post', 0n],
      ['withdrawal_paid', 'post', 0n],
    ]);
    expect(statement.entries.every((e) => e.explanation)).toBe(true);
    const { email } = await getAffiliate(ctx.db, affiliateId);
    expect(await outbox(ctx, email)).toEqual([
      'withdrawal_sent',
      'withdrawal_failed',
      'bank_account_needs_update',
      'withdrawal_sent',
      'withdrawal_succeeded',
    ]);
    expect((await auditLedger(ctx.db)).violations).toEqual([]);
  });

  it('a transfer the bank accepted and later returned gives back the amount and the fee', async () => {
    const ctx = t();
    const affiliateId = await settledAffiliate(ctx);
    await setBankAccount(ctx, affiliateId, { iban: GERMAN_IBAN, holderName: 'A B', country: 'DE' });
    const { withdrawal } = await requestWithdrawal(ctx, { affiliateId, amountMinor: 8000n });
    await exportBatch(ctx, { format: 'sepa', file: tempFile('b.xml') });
    const summary = await importResults(
      ctx,
      `${RESULTS_HEADER}\n${withdrawal.id},accepted,,,2026-03-05\n${withdrawal.id},returned,AC06,Blocked account,2026-03-09\n`,
    );
    expect(summary).toMatchObject({ succeeded: 1, returned: 1 });
    expect(await getWithdrawal(ctx.db, withdrawal.id)).toMatchObject({
      state: 'returned',
      stateLabel: 'Returned',
      reasonCode: 'AC06',
    });
    expect(await getBalances(ctx, affiliateId)).toMatchObject({
      availableMinor: 8000n,
      paidOutMinor: 0n,
    });
    expect((await auditLedger(ctx.db)).violations).toEqual([]);
  });

  it('pays countries on the manual rail by hand: no bank file, the result is imported as for a file', async () => {
    const ctx = t();
    const affiliateId = await settledAffiliate(ctx);
    await updateSettings(ctx, { values: { manualPayoutCountries: ['BR'] } });
    await setBankAccount(ctx, affiliateId, {
      accountNumber: '0001 234567-8',
      swift: 'BRASBRRJ',
      holderName: 'Ana Souza',
      country: 'BR',
    });
    const { withdrawal } = await requestWithdrawal(ctx, { affiliateId, amountMinor: 8000n });
    expect(withdrawal.rail).toBe('manual');
    expect(await exportBatch(ctx, { format: 'csv', file: tempFile('m.csv') })).toBeUndefined();
    await importResults(ctx, `${RESULTS_HEADER}\n${withdrawal.id},accepted,,,2026-03-07\n`);
    expect(await getWithdrawal(ctx.db, withdrawal.id)).toMatchObject({ state: 'succeeded' });
    const { email } = await getAffiliate(ctx.db, affiliateId);
    expect(await outbox(ctx, email)).toEqual(['withdrawal_sent', 'withdrawal_succeeded']);
    await updateSettings(ctx, { values: { manualPayoutCountries: [] } });
  });
});
