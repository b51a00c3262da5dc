import { expect, it } from 'vitest';
import { setBankAccount } from '../affiliates/bank-accounts.js';
import { describeEachDatabase } from '../test/context.js';
import { FRENCH_IBAN, GERMAN_IBAN, seedPayee } from '../test/payouts.js';
import { RESULTS_HEADER, tempFile } from '../test/withdrawals.js';
import { exportBatch } from './export-batch.js';
import { importResults } from './import-results.js';
import {
  findPayoutBatch,
  listPayoutBatches,
  listPayoutRuns,
  withdrawalsAfter,
  withdrawalsAwaitingFile,
  withdrawalTotals,
} from './operator-queries.js';
import { requestWithdrawal } from './request-withdrawal.js';
import { runPayouts } from './run-payouts.js';

describeEachDatabase("the operator's payout listings", (t) => {
  it('lists runs, what waits for a file, batches with their results, and every withdrawal', async () => {
    const ctx = t(); // a dollar program: IBANs are paid by wire
    const a = await seedPayee(ctx, { earnedMinor: 5000n });
    const b = await seedPayee(ctx, { earnedMinor: 6000n, iban: FRENCH_IBAN });
    ctx.clock.set('2026-04-02T08:00:00.000Z');
    await runPayouts(ctx, '2026-03');
    expect(await listPayoutRuns(ctx.db, 10)).toEqual([
      {
        period: '2026-03',
        startedAt: '2026-04-02T08:00:00.000Z',
        finishedAt: '2026-04-02T08:00:00.000Z',
        withdrawals: 2,
        totalMinor: 11_000n,
      },
    ]);
    expect(await withdrawalsAwaitingFile(ctx.db)).toEqual([
      { rail: 'wire', currency: 'USD', count: 2, netMinor: 8000n },
    ]);

    const batch = await exportBatch(ctx, { format: 'csv', file: tempFile('wire.csv') });
    expect(await withdrawalsAwaitingFile(ctx.db)).toEqual([]);
    const [wa, wb] = await withdrawalsAfter(ctx.db, '', 10);
    await importResults(
      ctx,
      [
        RESULTS_HEADER,
        `${wa?.id},accepted,,,2026-04-03`,
        `${wb?.id},rejected,AC04,closed,2026-04-03`,
      ].join('\n'),
    );
    const listed = await listPayoutBatches(ctx.db, 10);
    expect(listed).toEqual([
      {
        id: batch?.batchId,
        rail: 'wire',
        currency: 'USD',
        transfers: 2,
        totalMinor: 8000n,
        createdAt: '2026-04-02T08:00:00.000Z',
        states: { processing: 0, succeeded: 1, failed: 1, returned: 0 },
      },
    ]);
    expect(await findPayoutBatch(ctx.db, batch?.batchId as string)).toEqual(listed[0]);
    expect(await findPayoutBatch(ctx.db, 'pb-nothing')).toBeUndefined();

    await setBankAccount(ctx, b.id, { iban: GERMAN_IBAN, holderName: 'B B', country: 'DE' });
    await requestWithdrawal(ctx, { affiliateId: b.id, amountMinor: 6000n });
    expect(await withdrawalTotals(ctx.db)).toEqual([
      { state: 'failed', currency: 'USD', count: 1, amountMinor: 6000n },
      { state: 'processing', currency: 'USD', count: 1, amountMinor: 6000n },
      { state: 'succeeded', currency: 'USD', count: 1, amountMinor: 5000n },
    ]);
    const all = await withdrawalsAfter(ctx.db, '', 10);
    expect(all.map((w) => w.affiliateId).sort()).toEqual([a.id, b.id, b.id].sort());
    expect(await withdrawalsAfter(ctx.db, all[1]?.id as string, 10)).toEqual([all[2]]);
  });
});
