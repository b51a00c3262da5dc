import { expect, it } from 'vitest';
import { setBankAccount } from '../affiliates/bank-accounts.js';
import { auditLedger } from '../ledger/audit-ledger.js';
import { describeEachDatabase } from '../test/context.js';
import { GERMAN_IBAN } from '../test/payouts.js';
import { RESULTS_HEADER, settledAffiliate, tempFile } from '../test/withdrawals.js';
import { getBalances } from './balances.js';
import { exportBatch } from './export-batch.js';
import { importResults } from './import-results.js';
import { getWithdrawal } from './queries.js';
import { requestWithdrawal } from './request-withdrawal.js';

describeEachDatabase('withdrawal rules: bad input refused, no overdraw', (t) => {
  it('refuses a bad results file whole, naming every bad line, and applies nothing', async () => {
    const ctx = t();
    const affiliateId = await settledAffiliate(ctx);
    await setBankAccount(ctx, affiliateId, { iban: GERMAN_IBAN, holderName: 'A B', country: 'DE' });
    const { withdrawal } = await requestWithdrawal(ctx, { affiliateId, amountMinor: 8000n });
    // Not yet in a bank file: a result for it cannot be real.
    await expect(
      importResults(ctx, `${RESULTS_HEADER}\n${withdrawal.id},accepted,,,2026-03-05\n`),
    ).rejects.toMatchObject({ code: 'invalid_results_file' });
    await exportBatch(ctx, { format: 'sepa', file: tempFile('b.xml') });
    const bad = [
      RESULTS_HEADER,
      `${withdrawal.id},accepted,,,2026-03-05`,
      'wd-unknown,accepted,,,2026-03-05',
      `${withdrawal.id},maybe,,,2026-03-05`,
      `${withdrawal.id},rejected,,,2026-03-05`,
      `${withdrawal.id},accepted,,,05/03/2026`,
      `${withdrawal.id},accepted`,
    ].join('\n');
    const error = await importResults(ctx, bad).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_results_file' });
    expect((error as { details: { line: number }[] }).details.map((p) => p.line)).toEqual([
      3, 4, 5, 6, 7,
    ]);
    expect(await getWithdrawal(ctx.db, withdrawal.id)).toMatchObject({ state: 'processing' });
    expect(
      await ctx.db
        .selectFrom('payout_results')
        .selectAll()
        .where('withdrawal_id', '=', withdrawal.id)
        .execute(),
    ).toEqual([]);
    await expect(importResults(ctx, 'id;status\n1;2')).rejects.toMatchObject({
      code: 'invalid_results_file',
      message: expect.stringContaining('line 1'),
    });
  });

  it('refuses withdrawals below the minimum, above the balance, without an account or when suspended', async () => {
    const ctx = t();
    const affiliateId = await settledAffiliate(ctx);
    await expect(requestWithdrawal(ctx, { affiliateId, amountMinor: 2000n })).rejects.toMatchObject(
      { code: 'bank_account_missing' },
    );
    await setBankAccount(ctx, affiliateId, { iban: GERMAN_IBAN, holderName: 'A B', country: 'DE' });
    await expect(requestWithdrawal(ctx, { affiliateId, amountMinor: 1599n })).rejects.toMatchObject(
      { code: 'amount_below_minimum' },
    );
    await expect(requestWithdrawal(ctx, { affiliateId, amountMinor: 8001n })).rejects.toMatchObject(
      { code: 'insufficient_balance' },
    );
    await expect(
      requestWithdrawal(ctx, { affiliateId, amountMinor: -5n } as never),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(
      exportBatch(ctx, { format: 'csv', file: tempFile('x.csv'), batchId: 'pb-nope' }),
    ).rejects.toMatchObject({ code: 'payout_batch_not_found' });
    await ctx.db
      .updateTable('affiliates')
      .set({ status: 'suspended' })
      .where('id', '=', affiliateId)
      .execute();
    await expect(requestWithdrawal(ctx, { affiliateId, amountMinor: 2000n })).rejects.toMatchObject(
      { code: 'affiliate_not_approved' },
    );
    expect(
      await ctx.db
        .selectFrom('withdrawals')
        .selectAll()
        .where('affiliate_id', '=', affiliateId)
        .execute(),
    ).toEqual([]);
    expect(await getBalances(ctx, affiliateId)).toMatchObject({ availableMinor: 8000n });
  });

  it('50 withdrawals at once against one balance never overdraw it', async () => {
    const ctx = t();
    const affiliateId = await settledAffiliate(ctx);
    await setBankAccount(ctx, affiliateId, { iban: GERMAN_IBAN, holderName: 'A B', country: 'DE' });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        requestWithdrawal(ctx, {
          affiliateId,
          amountMinor: 1600n,
          idempotencyKey: `parallel-${i}`,
        }),
      ),
    );
    const made = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(made).toHaveLength(5); // 5 × €16.00 = €80.00
    for (const r of refused)
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'insufficient_balance' });
    expect(await getBalances(ctx, affiliateId)).toMatchObject({
      availableMinor: 0n,
      inTransitMinor: 8000n,
    });
    expect((await auditLedger(ctx.db)).violations).toEqual([]);
  });
});
