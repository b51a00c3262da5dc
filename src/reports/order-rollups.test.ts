import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { linkBuyerAccount } from '../affiliates/buyer-accounts.js';
import { DAY_MS } from '../clock.js';
import * as migration from '../db/migrations/0011-order-rollups.js';
import { runDueJobs } from '../jobs/run-due-jobs.js';
import { ingestEvents } from '../orders/ingest-event.js';
import { describeEachDatabase, type TestContext } from '../test/context.js';
import { seedProduct } from '../test/factories.js';
import { accept, event, paidEvent, seedClickedProduct } from '../test/orders.js';
import { breakdown } from './breakdown.js';
import { getDashboard } from './get-dashboard.js';
import { verifyOrderRollups } from './verify-order-rollups.js';

describeEachDatabase('order rollups', (t) => {
  /** An affiliate with two products (8 %) and a click with sub1 'spring'. */
  async function world(ctx: TestContext) {
    const seeded = await seedClickedProduct(ctx, { subs: ['spring', null, null, null, null] });
    const second = await seedProduct(ctx, seeded.storeId, seeded.product.categoryId);
    const pay = (orderId: string, options: Partial<Parameters<typeof paidEvent>[1]> = {}) =>
      paidEvent(ctx, {
        orderId,
        productId: seeded.product.productId,
        clickId: seeded.clickId,
        ...options,
      });
    const now = () => ctx.clock.now().toISOString();
    return { ...seeded, second, pay, now };
  }
  const verify = async (ctx: TestContext, affiliateId: string) =>
    (await verifyOrderRollups(ctx, { affiliateId })).differences;

  it('equals the recomputation from the sub-orders after payment, refunds, disputes, cancellation, settlement and refunds after settlement', async () => {
    const ctx = t();
    const w = await world(ctx);
    const id = w.affiliate.id;
    await linkBuyerAccount(ctx, { affiliateId: id, buyerId: 'own-account' });
    // Paid: one at a time, and a batch (written together by PaidBatch).
    await accept(ctx, w.pay('r-1')); // 39.98 → 3.20
    // Two sub-orders of 50.00 → 4.00 each.
    await accept(
      ctx,
      w.pay('r-2', {
        productId: w.second.productId,
        subOrders: 2,
        quantity: 1,
        unitPriceMinor: 5000,
      }),
    );
    await accept(ctx, w.pay('r-3'));
    await accept(ctx, w.pay('r-4', { buyerId: 'own-account' })); // a self-purchase: Invalid
    await accept(ctx, w.pay('r-5', { clickId: null })); // no click: no affiliate's
    await accept(ctx, w.pay('r-6'));
    const batch = await ingestEvents(ctx, [w.pay('r-7'), w.pay('r-8'), w.pay('r-9')]);
    expect(batch.map((o) => o.status)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(await verify(ctx, id)).toEqual([]);

    // Before settlement: a refund in full, a dispute, a cancellation, confirmations.
    const refund = (orderId: string, subOrderId: string, amount: number) =>
      accept(
        ctx,
        event(ctx, 'order.refunded', {
          order_id: orderId,
          sub_order_id: subOrderId,
          amount_minor: amount,
        }),
      );
    await refund('r-3', 'r-3-1', 3998);
    await accept(ctx, event(ctx, 'order.dispute_opened', { order_id: 'r-6', opened_at: w.now() }));
    await accept(ctx, event(ctx, 'order.cancelled', { order_id: 'r-8' }));
    for (const orderId of ['r-1', 'r-2'])
      await accept(
        ctx,
        event(ctx, 'order.receipt_confirmed', { order_id: orderId, confirmed_at: w.now() }),
      );
    expect(await verify(ctx, id)).toEqual([]);

    // Settlement (the fast lane takes r-1 and r-2), then refunds after settlement.
    ctx.clock.advance(DAY_MS);
    expect((await runDueJobs(ctx)).settled).toBe(3);
    await refund('r-1', 'r-1-1', 1999); // takes back 1.60
    await refund('r-2', 'r-2-1', 2500); // takes back 2.00
    await refund('r-2', 'r-2-1', 2500); // and the other 2.00
    // The dispute ends with a partial refund; confirmed, it settles on what is left (1.60).
    await accept(
      ctx,
      event(ctx, 'order.dispute_closed', {
        order_id: 'r-6',
        closed_at: w.now(),
        refund: { sub_order_id: 'r-6-1', amount_minor: 1999 },
      }),
    );
    await accept(
      ctx,
      event(ctx, 'order.receipt_confirmed', { order_id: 'r-6', confirmed_at: w.now() }),
    );
    ctx.clock.advance(DAY_MS);
    expect((await runDueJobs(ctx)).settled).toBe(1);
    expect(await verify(ctx, id)).toEqual([]);

    // r-7 and r-9 expire unsettled, 180 days after payment.
    ctx.clock.advance(180 * DAY_MS);
    expect((await runDueJobs(ctx)).invalidated).toBe(2);
    expect(await verify(ctx, id)).toEqual([]);

    const { lastMonth, thisMonth } = await getDashboard(ctx, {
      affiliateId: id,
      today: '2026-03-31',
    });
    expect(lastMonth.leads).toBe(0n);
    expect(thisMonth).toMatchObject({
      clicks: 1n,
      uniqueClicks: 1n,
      // r-1, r-2 (two), r-3, r-4, r-6, r-7, r-8, r-9; r-5 came without a click.
      leads: 9n,
      approvedLeads: 4n, // r-1, r-2-1, r-2-2, r-6
      invalidLeads: 5n, // refunded in full, self-purchase, cancelled, two expired
      estimatedMinor: 320n + 400n + 400n + 320n,
      settledMinor: 320n + 400n + 400n + 160n,
      clawedBackMinor: 160n + 400n,
    });
  });

  it('lists the rows that differ from the sub-orders, and a row that is missing', async () => {
    const ctx = t();
    const w = await world(ctx);
    await accept(ctx, w.pay('d-1'));
    expect(await verify(ctx, w.affiliate.id)).toEqual([]);
    await sql`update order_daily set leads = leads + 2 where affiliate_id = ${w.affiliate.id}`.execute(
      ctx.db,
    );
    await ctx.db
      .deleteFrom('order_daily_product')
      .where('affiliate_id', '=', w.affiliate.id)
      .execute();
    const check = await verifyOrderRollups(ctx, { affiliateId: w.affiliate.id });
    expect(check.differenceCount).toBe(2);
    expect(check.differences).toEqual([
      expect.objectContaining({
        table: 'order_daily',
        expected: expect.objectContaining({ leads: 1n, estimated_minor: 320n }),
        stored: expect.objectContaining({ leads: 3n, estimated_minor: 320n }),
      }),
      {
        table: 'order_daily_product',
        key: {
          affiliate_id: w.affiliate.id,
          day: ctx.clock.now().toISOString().slice(0, 10),
          currency: 'USD',
          product_id: w.product.productId,
        },
        expected: { leads: 1n, estimated_minor: 320n },
        stored: { leads: 0n, estimated_minor: 0n },
      },
    ]);
  });

  it('are built by the migration from the orders and clawbacks already there', async () => {
    const ctx = t();
    const w = await world(ctx);
    await accept(ctx, w.pay('m-1'));
    await accept(ctx, w.pay('m-2'));
    await accept(
      ctx,
      event(ctx, 'order.receipt_confirmed', { order_id: 'm-1', confirmed_at: w.now() }),
    );
    await accept(ctx, event(ctx, 'order.cancelled', { order_id: 'm-2' }));
    await runDueJobs(ctx);
    await accept(
      ctx,
      event(ctx, 'order.refunded', { order_id: 'm-1', sub_order_id: 'm-1-1', amount_minor: 999 }),
    );
    const reports = async () => [
      await getDashboard(ctx, { affiliateId: w.affiliate.id }),
      await breakdown(ctx, { affiliateId: w.affiliate.id, by: 'sub1' }),
    ];
    const before = await reports();
    expect(before[0]).toMatchObject({
      today: { leads: 2n, approvedLeads: 1n, invalidLeads: 1n, clawedBackMinor: 80n },
    });
    expect(before[1]).toMatchObject({ rows: [{ key: 'spring', leads: 2n }] });
    await migration.down(ctx.db);
    await migration.up(ctx.db);
    expect(await verify(ctx, w.affiliate.id)).toEqual([]);
    expect(await reports()).toEqual(before);
  });
});
