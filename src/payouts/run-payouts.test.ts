import { expect, it } from 'vitest';
import { setAutoWithdraw } from '../affiliates/payout-accounts.js';
import { auditLedger } from '../ledger/audit-ledger.js';
import { describeEachDatabase } from '../test/context.js';
import { seedAffiliate } from '../test/factories.js';
import { seedEarnings, seedPayee } from '../test/payouts.js';
import { getBalances } from './balances.js';
import { runPayoutIfDue } from './payout-day.js';
import { runPayouts } from './run-payouts.js';

describeEachDatabase('the monthly payout run', (t) => {
  it('pays each eligible affiliate once per period what settled in it, and a dry run writes nothing', async () => {
    const ctx = t(); // the clock starts on 2026-03-01
    const paid = await seedPayee(ctx, { earnedMinor: 5000n });
    const small = await seedPayee(ctx, { earnedMinor: 1000n });
    const optedOut = await seedPayee(ctx, { earnedMinor: 5000n });
    await setAutoWithdraw(ctx, optedOut.id, false);
    const noAccount = await seedAffiliate(ctx, { approve: true });
    await seedEarnings(ctx, noAccount.id, 5000n);
    const late = await seedPayee(ctx, { earnedMinor: 1000n });
    const suspended = await seedPayee(ctx, { earnedMinor: 5000n });
    await ctx.db
      .updateTable('affiliates')
      .set({ status: 'suspended' })
      .where('id', '=', suspended.id)
      .execute();
    ctx.clock.set('2026-04-05T00:00:00.000Z');
    // Settled in April: it waits for the April run, even though it is available now.
    await seedEarnings(ctx, late.id, 4000n);

    const dry = await runPayouts(ctx, '2026-03', { dryRun: true });
    expect(dry).toMatchObject({ paid: 1, paidMinor: 5000n, feesMinor: 1500n, belowMinimum: 2 });
    expect(await ctx.db.selectFrom('withdrawals').selectAll().execute()).toEqual([]);
    expect(await ctx.db.selectFrom('payout_runs').selectAll().execute()).toEqual([]);

    const progress: number[] = [];
    const run = await runPayouts(ctx, '2026-03', { onProgress: (done) => progress.push(done) });
    expect(run).toMatchObject({
      candidates: 3,
      paid: 1,
      paidMinor: 5000n,
      belowMinimum: 2,
      alreadyPaid: 0,
      byRail: { wire: 1, sepa: 0, manual: 0 }, // a dollar program pays IBANs by wire
    });
    expect(progress).toEqual([3]);
    const withdrawals = await ctx.db
      .selectFrom('withdrawals')
      .select(['affiliate_id', 'period', 'source', 'amount_minor'])
      .execute();
    expect(withdrawals).toEqual([
      { affiliate_id: paid.id, period: '2026-03', source: 'payout_run', amount_minor: 5000n },
    ]);
    expect(await getBalances(ctx, late.id)).toMatchObject({ availableMinor: 5000n });
    expect(await getBalances(ctx, small.id)).toMatchObject({ availableMinor: 1000n });

    // Run again (or resumed after a crash): nobody is paid twice.
    expect(await runPayouts(ctx, '2026-03')).toMatchObject({ paid: 0, alreadyPaid: 1 });
    expect(await ctx.db.selectFrom('withdrawals').selectAll().execute()).toHaveLength(1);
    expect((await auditLedger(ctx.db)).violations).toEqual([]);

    // The April run, from the payout day on, pays what settled in April.
    ctx.clock.set('2026-05-19T10:00:00.000Z');
    expect(await runPayoutIfDue(ctx)).toBeUndefined();
    ctx.clock.set('2026-05-20T10:00:00.000Z');
    expect(await runPayoutIfDue(ctx)).toMatchObject({ period: '2026-04', paid: 1 });
    expect(await runPayoutIfDue(ctx)).toBeUndefined();
    expect(await getBalances(ctx, late.id)).toMatchObject({
      availableMinor: 0n,
      inTransitMinor: 5000n,
    });
  });
});
