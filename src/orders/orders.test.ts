import { expect, it } from 'vitest';
import { DAY_MS } from '../clock.js';
import { inTransaction } from '../context.js';
import { setFxRate } from '../fx/set-fx-rate.js';
import { runDueJobs } from '../jobs/run-due-jobs.js';
import { affiliateBalance } from '../ledger/affiliate-balance.js';
import { auditLedger } from '../ledger/audit-ledger.js';
import { transfersFor } from '../ledger/transfers-for.js';
import { loadSettingsTimeline } from '../settings/settings-timeline.js';
import { describeEachDatabase, type TestContext } from '../test/context.js';
import { accept, event, paidEvent, seedClickedProduct } from '../test/orders.js';
import { ingestEvent } from './ingest-event.js';
import { settleDueInFull } from './settle-in-full.js';
import { syncOrders } from './sync-order.js';

describeEachDatabase('orders and commissions', (t) => {
  async function paidOrder(ctx: TestContext, orderId: string) {
    const seeded = await seedClickedProduct(ctx);
    const outcome = await accept(
      ctx,
      paidEvent(ctx, { orderId, productId: seeded.product.productId, clickId: seeded.clickId }),
    );
    return { ...seeded, outcome };
  }
  const balance = (ctx: TestContext, affiliateId: string) =>
    affiliateBalance(ctx.db, affiliateId, 'USD');
  const statusOf = async (ctx: TestContext, subOrderId: string) =>
    await ctx.db
      .selectFrom('sub_orders')
      .selectAll()
      .where('sub_order_id', '=', subOrderId)
      .executeTakeFirstOrThrow();

  it('books an estimated commission at payment, with its explanation', async () => {
    const ctx = t();
    const { affiliate, outcome } = await paidOrder(ctx, 'o-1');
    expect(outcome.subOrders).toEqual([{ sub_order_id: 'o-1-1', status: 'payment_completed' }]);
    const sub = await statusOf(ctx, 'o-1-1');
    expect(sub).toMatchObject({
      paid_minor: 3998n,
      rate_bp: 800n,
      commission_minor: 320n,
      commission_settlement_minor: 320n,
    });
    const explanation = JSON.parse(sub.explanation) as string[];
    expect(explanation[0]).toMatch(
      /^click 01\w+ at .*, 0\.0 days before payment, inside the 30-day window$/,
    );
    expect(explanation).toContain(
      'commission: 39.98 USD × 8.00% = 3.20 USD (rounded half away from zero)',
    );
    expect(await balance(ctx, affiliate.id)).toMatchObject({
      estimatedMinor: 320n,
      availableMinor: 0n,
    });
  });

  it('settles at the end of protection, also when receipt is confirmed before the shipping event', async () => {
    const ctx = t();
    const a = await paidOrder(ctx, 'o-2');
    await accept(
      ctx,
      event(ctx, 'order.shipped', {
        order_id: 'o-2',
        shipping_method: 'DHL',
        shipped_at: ctx.clock.now().toISOString(),
      }),
    );
    const b = await paidOrder(ctx, 'o-3');
    await accept(
      ctx,
      event(ctx, 'order.receipt_confirmed', {
        order_id: 'o-3',
        confirmed_at: new Date(ctx.clock.now().getTime() + 30 * DAY_MS).toISOString(),
      }),
    );
    await accept(
      ctx,
      event(ctx, 'order.shipped', {
        order_id: 'o-3',
        shipping_method: 'DHL',
        shipped_at: ctx.clock.now().toISOString(),
      }),
    );
    ctx.clock.advance(29 * DAY_MS);
    expect(await runDueJobs(ctx)).toMatchObject({ settled: 0 });
    ctx.clock.advance(1 * DAY_MS);
    expect(await runDueJobs(ctx)).toMatchObject({ settled: 2 });
    for (const id of [a.affiliate.id, b.affiliate.id])
      expect(await balance(ctx, id)).toMatchObject({ estimatedMinor: 0n, availableMinor: 320n });
    expect((await statusOf(ctx, 'o-3-1')).status).toBe('completed_settlement');
    expect((await auditLedger(ctx.db)).violations).toEqual([]);
  });

  it('posts less after a partial refund before settlement, and voids on a refund in full', async () => {
    const ctx = t();
    const a = await paidOrder(ctx, 'o-4');
    await accept(
      ctx,
      event(ctx, 'order.refunded', {
        order_id: 'o-4',
        sub_order_id: 'o-4-1',
        amount_minor: 1999,
        reason: 'one item missing',
      }),
    );
    await accept(
      ctx,
      event(ctx, 'order.receipt_confirmed', {
        order_id: 'o-4',
        confirmed_at: ctx.clock.now().toISOString(),
      }),
    );
    const b = await paidOrder(ctx, 'o-5');
    const full = await accept(
      ctx,
      event(ctx, 'order.refunded', { order_id: 'o-5', sub_order_id: 'o-5-1', amount_minor: 3998 }),
    );
    expect(full.subOrders).toEqual([{ sub_order_id: 'o-5-1', status: 'invalid' }]);
    await runDueJobs(ctx);
    expect(await balance(ctx, a.affiliate.id)).toMatchObject({
      estimatedMinor: 0n,
      availableMinor: 160n,
    });
    expect(await balance(ctx, b.affiliate.id)).toMatchObject({
      estimatedMinor: 0n,
      availableMinor: 0n,
    });
    expect((await auditLedger(ctx.db)).violations).toEqual([]);
  });

  it('settles a plain sub-order in the fast lane exactly as the full path would', async () => {
    const ctx = t();
    const fast = await paidOrder(ctx, 'f-1');
    const full = await paidOrder(ctx, 'f-2');
    for (const orderId of ['f-1', 'f-2'])
      await accept(
        ctx,
        event(ctx, 'order.receipt_confirmed', {
          order_id: orderId,
          confirmed_at: ctx.clock.now().toISOString(),
        }),
      );
    ctx.clock.advance(40 * DAY_MS);
    // f-2 through syncOrders (the full path), f-1 left to the job's fast lane.
    await inTransaction(ctx, (tx) => syncOrders(tx, ['f-2'], { settle: true }));
    expect(
      await inTransaction(ctx, async (tx) =>
        settleDueInFull(tx, await loadSettingsTimeline(tx.db), 100),
      ),
    ).toEqual({ candidates: 1, settled: 1, orderIds: ['f-1'] });
    // The derived columns (the explanation names each order's own click).
    const fields = async (subOrderId: string) => {
      const row = await statusOf(ctx, subOrderId);
      return [
        row.status,
        row.invalid_reason,
        row.confirmed_at,
        row.due_at,
        row.settled_at,
        row.settled_minor,
      ];
    };
    expect(await fields('f-1-1')).toEqual(await fields('f-2-1'));
    expect((await statusOf(ctx, 'f-1-1')).status).toBe('completed_settlement');
    const posts = async (subOrderId: string) =>
      (await transfersFor(ctx.db, subOrderId)).map((tr) => ({
        kind: tr.kind,
        code: tr.code,
        amount: tr.amountMinor,
        key: tr.key.replace(subOrderId, 'SUB'),
      }));
    expect(await posts('f-1-1')).toEqual(await posts('f-2-1'));
    for (const id of [fast.affiliate.id, full.affiliate.id])
      expect(await balance(ctx, id)).toMatchObject({ estimatedMinor: 0n, availableMinor: 320n });
    // Run again: nothing is due, nothing is booked twice.
    expect(await runDueJobs(ctx)).toMatchObject({ settled: 0 });
    expect((await auditLedger(ctx.db)).violations).toEqual([]);
  });

  it('claws back refunds after settlement, down to nothing left of the commission', async () => {
    const ctx = t();
    const a = await paidOrder(ctx, 'o-6');
    await accept(
      ctx,
      event(ctx, 'order.receipt_confirmed', {
        order_id: 'o-6',
        confirmed_at: ctx.clock.now().toISOString(),
      }),
    );
    await runDueJobs(ctx);
    await accept(
      ctx,
      event(ctx, 'order.refunded', { order_id: 'o-6', sub_order_id: 'o-6-1', amount_minor: 1999 }),
    );
    expect(await balance(ctx, a.affiliate.id)).toMatchObject({ availableMinor: 160n });
    await accept(
      ctx,
      event(ctx, 'order.refunded', { order_id: 'o-6', sub_order_id: 'o-6-1', amount_minor: 1999 }),
    );
    expect(await balance(ctx, a.affiliate.id)).toMatchObject({
      availableMinor: 0n,
      negativeCarryMinor: 0n,
    });
    expect((await auditLedger(ctx.db)).violations).toEqual([]);
  });

  it('invalidates an order still unsettled 180 days after payment', async () => {
    const ctx = t();
    const a = await paidOrder(ctx, 'o-7');
    await accept(
      ctx,
      event(ctx, 'order.dispute_opened', {
        order_id: 'o-7',
        opened_at: ctx.clock.now().toISOString(),
      }),
    );
    ctx.clock.advance(180 * DAY_MS);
    expect((await runDueJobs(ctx)).invalidated).toBeGreaterThanOrEqual(1);
    expect(await statusOf(ctx, 'o-7-1')).toMatchObject({
      status: 'invalid',
      invalid_reason: 'not settled within 180 days of payment',
    });
    expect(await balance(ctx, a.affiliate.id)).toMatchObject({ estimatedMinor: 0n });
  });

  it('returns the first outcome for a replayed event id and refuses other content under it', async () => {
    const ctx = t();
    const seeded = await seedClickedProduct(ctx);
    const paid = paidEvent(ctx, {
      orderId: 'o-8',
      productId: seeded.product.productId,
      clickId: seeded.clickId,
    });
    const first = await accept(ctx, paid);
    expect(await ingestEvent(ctx, paid)).toEqual({ ...first, replayed: true });
    const changed = { ...paid, data: { ...paid.data, buyer_id: 'someone-else' } };
    expect(await ingestEvent(ctx, changed)).toMatchObject({
      status: 'rejected',
      error: { code: 'idempotency_conflict' },
    });
    expect(await balance(ctx, seeded.affiliate.id)).toMatchObject({ estimatedMinor: 320n });
  });

  it('refuses bad events with a reason each and writes nothing for them', async () => {
    const ctx = t();
    const seeded = await seedClickedProduct(ctx);
    const cases: [unknown, string][] = [
      [
        paidEvent(ctx, { orderId: 'b-1', productId: 'no-such-product', clickId: seeded.clickId }),
        'product_not_found',
      ],
      [
        paidEvent(ctx, { orderId: 'b-2', productId: seeded.product.productId, currency: 'EUR' }),
        'no_fx_rate',
      ],
      [
        paidEvent(ctx, { orderId: 'b-3', productId: seeded.product.productId, unitPriceMinor: -5 }),
        'invalid_request',
      ],
      [
        event(ctx, 'order.shipped', {
          order_id: 'never',
          shipping_method: 'DHL',
          shipped_at: ctx.clock.now().toISOString(),
        }),
        'order_not_found',
      ],
      [
        { id: 'x', type: 'order.exploded', created_at: ctx.clock.now().toISOString(), data: {} },
        'invalid_request',
      ],
      ['not an object', 'invalid_request'],
    ];
    for (const [raw, code] of cases)
      expect(await ingestEvent(ctx, raw), code).toMatchObject({
        status: 'rejected',
        error: { code },
      });
    await accept(
      ctx,
      paidEvent(ctx, {
        orderId: 'b-4',
        productId: seeded.product.productId,
        clickId: seeded.clickId,
      }),
    );
    expect(
      await ingestEvent(
        ctx,
        event(ctx, 'order.refunded', {
          order_id: 'b-4',
          sub_order_id: 'b-4-1',
          amount_minor: 3999,
        }),
      ),
    ).toMatchObject({ error: { code: 'refund_exceeds_paid' } });
    expect(
      await ingestEvent(
        ctx,
        event(ctx, 'order.refunded', { order_id: 'b-4', sub_order_id: 'b-4-9', amount_minor: 1 }),
      ),
    ).toMatchObject({ error: { code: 'sub_order_not_found' } });
    expect(
      await ingestEvent(
        ctx,
        event(ctx, 'order.shipped', {
          order_id: 'b-4',
          shipping_method: 'PIGEON',
          shipped_at: ctx.clock.now().toISOString(),
        }),
      ),
    ).toMatchObject({ error: { code: 'unknown_shipping_method' } });
    const orders = await ctx.db
      .selectFrom('orders')
      .select('order_id')
      .where('order_id', 'like', 'b-%')
      .execute();
    expect(orders.map((o) => o.order_id)).toEqual(['b-4']);
    const events = await ctx.db
      .selectFrom('merchant_events')
      .select('id')
      .where('order_id', 'in', ['b-1', 'b-2', 'b-3', 'b-4', 'never'])
      .execute();
    expect(events).toHaveLength(1);
    await setFxRate(ctx, {
      currency: 'EUR',
      rate: '1.0850',
      effectiveAt: new Date(ctx.clock.now().getTime() - DAY_MS),
    });
    await accept(
      ctx,
      paidEvent(ctx, {
        orderId: 'b-2',
        productId: seeded.product.productId,
        currency: 'EUR',
        clickId: seeded.clickId,
      }),
    );
  });

  it('makes a self-purchase invalid with the reason', async () => {
    const ctx = t();
    const seeded = await seedClickedProduct(ctx);
    const { linkBuyerAccount } = await import('../affiliates/buyer-accounts.js');
    await linkBuyerAccount(ctx, { affiliateId: seeded.affiliate.id, buyerId: 'own-account' });
    const outcome = await accept(
      ctx,
      paidEvent(ctx, {
        orderId: 'o-9',
        productId: seeded.product.productId,
        clickId: seeded.clickId,
        buyerId: 'own-account',
      }),
    );
    expect(outcome.subOrders).toEqual([{ sub_order_id: 'o-9-1', status: 'invalid' }]);
    expect((await statusOf(ctx, 'o-9-1')).invalid_reason).toMatch(/^self-purchase/);
    expect(await balance(ctx, seeded.affiliate.id)).toMatchObject({ estimatedMinor: 0n });
  });
});
