import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { setBankAccount } from '../affiliates/bank-accounts.js';
import { exportBatch } from '../payouts/export-batch.js';
import { importResults } from '../payouts/import-results.js';
import { requestWithdrawal } from '../payouts/request-withdrawal.js';
import { describeEachDatabase } from '../test/context.js';
import { FRENCH_IBAN, seedPayee } from '../test/payouts.js';
import { useReceiver } from '../test/webhooks.js';
import { createWebhook } from './create-webhook.js';
import { deliverDue } from './deliver.js';

const RESULTS_HEADER = 'end_to_end_id,status,reason_code,reason_text,date';

describeEachDatabase('webhooks hear of withdrawals', (t) => {
  const receiver = useReceiver(t);

  it('a bank refusal sends withdrawal.failed with the reason, an acceptance withdrawal.succeeded', async () => {
    const ctx = t();
    const payee = await seedPayee(ctx, { earnedMinor: 20_000n });
    await createWebhook(ctx, payee.id, {
      url: `${receiver.url}/hook`,
      events: ['withdrawal.succeeded', 'withdrawal.failed'],
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-webhooks-'));
    const refused = await requestWithdrawal(ctx, { affiliateId: payee.id, amountMinor: 5000n });
    await exportBatch(ctx, { format: 'csv', file: path.join(dir, 'a.csv') });
    await importResults(
      ctx,
      `${RESULTS_HEADER}\n${refused.withdrawal.id},rejected,AC04,Closed account number,2026-03-05\n`,
    );
    expect(await deliverDue(ctx)).toMatchObject({ delivered: 1 });
    const failed = JSON.parse((await receiver.next()).body);
    expect(failed).toMatchObject({
      id: `withdrawal.failed:${refused.withdrawal.id}`,
      type: 'withdrawal.failed',
      data: {
        withdrawal_id: refused.withdrawal.id,
        state: 'failed',
        amount: 5000,
        fee: Number(refused.withdrawal.feeMinor),
        currency: 'USD',
        reason_code: 'AC04',
        reason_text: 'Closed account number',
      },
    });

    // A new account, and this time the bank pays.
    await setBankAccount(ctx, payee.id, {
      iban: FRENCH_IBAN,
      bic: 'BNPAFRPPXXX',
      holderName: 'Zoë Müller',
      country: 'FR',
    });
    const paid = await requestWithdrawal(ctx, { affiliateId: payee.id, amountMinor: 6000n });
    await exportBatch(ctx, { format: 'csv', file: path.join(dir, 'b.csv') });
    const accepted = `${RESULTS_HEADER}\n${paid.withdrawal.id},accepted,,,2026-03-06\n`;
    await importResults(ctx, accepted);
    await importResults(ctx, accepted);
    expect(await deliverDue(ctx)).toMatchObject({ delivered: 1 });
    expect(JSON.parse((await receiver.next()).body)).toMatchObject({
      id: `withdrawal.succeeded:${paid.withdrawal.id}`,
      type: 'withdrawal.succeeded',
      data: { state: 'succeeded', amount: 6000, reason_code: null },
    });
    expect(receiver.requests).toHaveLength(2);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
