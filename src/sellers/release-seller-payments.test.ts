import { expect, it } from 'vitest';
import { DAY_MS } from '../clock.js';
import { setFxRate } from '../fx/set-fx-rate.js';
import { runDueJobs } from '../jobs/run-due-jobs.js';
import { auditLedger } from '../ledger/audit-ledger.js';
import { transfersFor } from '../ledger/transfers-for.js';
import { describeEachDatabase, type TestContext } from '../test/context.js';
import { accept, event, paidEvent, seedClickedProduct } from '../test/orders.js';

/** The seller's payable in USD: credits minus debits, posted. */
async function payable(ctx: TestContext, sellerId: string): Promise<bigint> {
  const row = await ctx.db
    .selectFrom('ledger_balances')
    .select(['credits_posted', 'debits_posted'])
    .where('account_id', '=', `seller_payable:${sellerId}:USD`)
    .executeTakeFirst();
  return row ? row.credits_posted - row.debits_posted : 0n;
}

async function sellerOf(ctx: TestContext, storeId: string): Promise<string> {
  const row = await ctx.db
    .selectFrom('stores')
    .select('seller_id')
    .where('id', '=', storeId)
    .executeTakeFirstOrThrow();
  return row.seller_id;
}

const confirm = (ctx: TestContext, orderId: string) =>
  accept(
    ctx,
    event(ctx, 'order.receipt_confirmed', {
      order_id: orderId,
      confirmed_at: ctx.clock.now().toISOString(),
    }),
  );
const refund = (ctx: TestContext, orderId: string, amountMinor: number) =>
  accept(
    ctx,
    event(ctx, 'order.refunded', {
      order_id: orderId,
      sub_order_id: `${orderId}-1`,
      amount_minor: amountMinor,
    }),
  );

describeEachDatabase('sellers: release of the seller payment at settlement', (t) => {
  /** An order of 2 × 19.99 USD at 8 % through an affiliate's click, by a new seller. */
  async function paidOrder(ctx: TestContext, orderId: string, currency = 'USD') {
    const seeded = await seedClickedProduct(ctx);
    await accept(
      ctx,
      paidEvent(ctx, {
        orderId,
        productId: seeded.product.productId,
        clickId: seeded.clickId,
        currency,
      }),
    );
    return { ...seeded, sellerId: await sellerOf(ctx, seeded.storeId) };
  }

  it('releases the sale minus the commission once the sub-order settles, once', async () => {
    const ctx = t();
    const a = await paidOrder(ctx, 'r-1');
    await runDueJobs(ctx);
    expect(await payable(ctx, a.sellerId)).toBe(0n); // not settled yet: nothing released
    await confirm(ctx, 'r-1');
    const first = await runDueJobs(ctx);
    expect(first).toMatchObject({ settled: 1, sellerReleases: 1 });
    // 39.98 USD paid, 3.20 USD commission: 36.78 USD released.
    expect(await payable(ctx, a.sellerId)).toBe(3678n);
    const again = await runDueJobs(ctx);
    expect(again.sellerReleases).toBe(0);
    expect(await payable(ctx, a.sellerId)).toBe(3678n);
    const release = (await transfersFor(ctx.db, 'r-1-1')).filter(
      (x) => x.code === 'seller_release',
    );
    expect(release).toMatchObject([{ key: 'seller_release:r-1-1', amountMinor: 3678n }]);
    expect((await auditLedger(ctx.db)).violations).toEqual([]);
  });

  it('releases on what is left after a partial refund before settlement', async () => {
    const ctx = t();
    const a = await paidOrder(ctx, 'r-2');
    await refund(ctx, 'r-2', 1999);
    await confirm(ctx, 'r-2');
    await runDueJobs(ctx);
    // 19.99 USD left, commission 1.60 USD: 18.39 USD released.
    expect(await payable(ctx, a.sellerId)).toBe(1839n);
    expect((await auditLedger(ctx.db)).violations).toEqual([]);
  });

  it('corrects the release after a refund after settlement, once per refunded total', async () => {
    const ctx = t();
    const a = await paidOrder(ctx, 'r-3');
    await confirm(ctx, 'r-3');
    await runDueJobs(ctx);
    expect(await payable(ctx, a.sellerId)).toBe(3678n);
    await refund(ctx, 'r-3', 1999);
    // Commission 3.20 → 1.60 USD (1.60 clawed back), sale 39.98 → 19.99: 18.39 USD kept.
    expect(await payable(ctx, a.sellerId)).toBe(1839n);
    await runDueJobs(ctx);
    expect(await payable(ctx, a.sellerId)).toBe(1839n);
    await refund(ctx, 'r-3', 1000);
    // 9.99 USD left, commission 0.80 USD: 9.19 USD kept.
    expect(await payable(ctx, a.sellerId)).toBe(919n);
    const codes = (await transfersFor(ctx.db, 'r-3-1')).map((x) => `${x.code} ${x.amountMinor}`);
    expect(codes).toEqual([
      'commission 320',
      'commission_settlement 320',
      'seller_release 3678',
      'clawback 160',
      'seller_release_correction 1839',
      'clawback 80',
      'seller_release_correction 920',
    ]);
    expect((await auditLedger(ctx.db)).violations).toEqual([]);
  });

  it('releases a refund after settlement that came before the release on the refunded sale', async () => {
    const ctx = t();
    const a = await paidOrder(ctx, 'r-4');
    await confirm(ctx, 'r-4');
    // Settle without the release step, as a database migrated with settled orders has them.
    await ctx.db
      .updateTable('sub_orders')
      .set({ released_at: 'x' })
      .where('sub_order_id', '=', 'r-4-1')
      .execute();
    await runDueJobs(ctx);
    await ctx.db
      .updateTable('sub_orders')
      .set({ released_at: null })
      .where('sub_order_id', '=', 'r-4-1')
      .execute();
    await refund(ctx, 'r-4', 1999);
    expect(await payable(ctx, a.sellerId)).toBe(0n);
    await runDueJobs(ctx);
    expect(await payable(ctx, a.sellerId)).toBe(1839n);
    expect((await auditLedger(ctx.db)).violations).toEqual([]);
  });

  it('converts a sale in another currency at the rate locked at payment', async () => {
    const ctx = t();
    await setFxRate(ctx, {
      currency: 'EUR',
      rate: '1.0850',
      effectiveAt: new Date(ctx.clock.now().getTime() - DAY_MS),
    });
    const a = await paidOrder(ctx, 'r-5', 'EUR');
    // The rate changes after payment: the locked one still applies.
    await setFxRate(ctx, {
      currency: 'EUR',
      rate: '2.0000',
      effectiveAt: new Date(ctx.clock.now().getTime() + 1000),
    });
    ctx.clock.advance(2000);
    await confirm(ctx, 'r-5');
    await runDueJobs(ctx);
    // 39.98 EUR × 1.0850 = 43.3783 → 43.38 USD; commission 3.20 EUR × 1.0850 = 3.472 → 3.47.
    expect(await payable(ctx, a.sellerId)).toBe(4338n - 347n);
    expect((await auditLedger(ctx.db)).violations).toEqual([]);
  });

  it('releases nothing for an order that never settles', async () => {
    const ctx = t();
    const a = await paidOrder(ctx, 'r-6');
    await refund(ctx, 'r-6', 3998);
    await runDueJobs(ctx);
    expect(await payable(ctx, a.sellerId)).toBe(0n);
    expect((await auditLedger(ctx.db)).violations).toEqual([]);
  });
});
