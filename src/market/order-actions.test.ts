import { beforeAll, expect, it } from 'vitest';
import { DAY_MS } from '../clock.js';
import { runDueJobs } from '../jobs/run-due-jobs.js';
import type { App } from '../server.js';
import { describeEachDatabase, type TestContext } from '../test/context.js';
import {
  buildMarketApp,
  buyOnPage,
  marketBuyer,
  marketCounts,
  orderIdOf,
  stepOf,
  subOrderOf,
} from '../test/market.js';
import { accept, event, seedClickedProduct } from '../test/orders.js';

describeEachDatabase("a demo market order's actions", (t) => {
  let ctx: TestContext;
  let app: App;
  let seeded: Awaited<ReturnType<typeof seedClickedProduct>>;

  beforeAll(async () => {
    ctx = t();
    app = await buildMarketApp(ctx);
    seeded = await seedClickedProduct(ctx, { minutesAgo: 5 });
  });

  const subOrder = (orderId: string) => subOrderOf(ctx, orderId);

  it('confirms receipt: the sub-order is confirmed, then settled by the due jobs', async () => {
    const agent = marketBuyer(app, seeded.clickId);
    const orderId = orderIdOf((await buyOnPage(agent, seeded.product.productId)).answer.location);
    const page = await agent.get(`/market/orders/${orderId}`);
    const confirmed = await agent.post(`/market/orders/${orderId}/confirm`, {
      step: stepOf(page.body),
    });
    expect(confirmed.status).toBe(303);
    expect(confirmed.location).toBe(`/market/orders/${orderId}?done=confirm`);
    expect((await subOrder(orderId)).status).toBe('buyer_confirmed_receipt');
    const after = await agent.get(confirmed.location as string);
    expect(after.body).toContain('Receipt confirmed');
    expect(after.body).toContain('data-status="received"');
    expect(after.body).not.toContain('>Confirm receipt<');

    // The same form again sends nothing new.
    const before = await marketCounts(ctx);
    const twice = await agent.post(`/market/orders/${orderId}/confirm`, {
      step: stepOf(page.body),
    });
    expect(twice.status).toBe(303);
    expect(await marketCounts(ctx)).toEqual(before);

    ctx.clock.advance(DAY_MS);
    await runDueJobs(ctx);
    const settled = await subOrder(orderId);
    expect(settled.status).toBe('completed_settlement');
    expect(settled.settled_minor).toBe(320n);
  });

  it('refunds in full: the sub-order is invalid, and a second refund is refused and changes nothing', async () => {
    const agent = marketBuyer(app, seeded.clickId);
    const orderId = orderIdOf((await buyOnPage(agent, seeded.product.productId)).answer.location);
    const page = await agent.get(`/market/orders/${orderId}`);
    const refunded = await agent.post(`/market/orders/${orderId}/refund`, {
      step: stepOf(page.body),
    });
    expect(refunded.status).toBe(303);
    expect((await subOrder(orderId)).status).toBe('invalid');
    const after = await agent.get(`/market/orders/${orderId}`);
    expect(after.body).toContain('data-status="refunded"');
    expect(after.body).not.toContain('>Request refund<');

    const before = await marketCounts(ctx);
    const again = await agent.post(`/market/orders/${orderId}/refund`, { step: stepOf(page.body) });
    expect(again.status).toBe(303); // the same form: the first answer
    const fresh = await agent.post(`/market/orders/${orderId}/refund`, {
      step: String(Number(stepOf(page.body)) + 1),
    });
    expect(fresh.status).toBe(409);
    expect(fresh.body).toContain('This order was already refunded.');
    const stale = await agent.post(`/market/orders/${orderId}/confirm`, {
      step: stepOf(page.body),
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toContain('changed since the page was shown');
    expect(await marketCounts(ctx)).toEqual(before);
  });

  it("shows affnet's refusal on the order page and records nothing", async () => {
    const agent = marketBuyer(app, seeded.clickId);
    const orderId = orderIdOf((await buyOnPage(agent, seeded.product.productId)).answer.location);
    // The marketplace's back office refunded it already, straight to affnet.
    await accept(
      ctx,
      event(ctx, 'order.refunded', {
        order_id: orderId,
        sub_order_id: `${orderId}-1`,
        amount_minor: 3998,
        refunded_at: ctx.clock.now().toISOString(),
      }),
    );
    const page = await agent.get(`/market/orders/${orderId}`);
    const before = await marketCounts(ctx);
    const refused = await agent.post(`/market/orders/${orderId}/refund`, {
      step: stepOf(page.body),
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toContain('affnet refused it:');
    expect(refused.body).toContain('role="alert"');
    expect(await marketCounts(ctx)).toEqual(before);
    expect((await agent.get(`/market/orders/${orderId}`)).body).toContain('data-status="shipped"');
  });

  it('opens and closes a dispute, then confirms receipt', async () => {
    const agent = marketBuyer(app, seeded.clickId);
    const orderId = orderIdOf((await buyOnPage(agent, seeded.product.productId)).answer.location);
    for (const action of ['dispute', 'close-dispute', 'confirm']) {
      const page = await agent.get(`/market/orders/${orderId}`);
      const done = await agent.post(`/market/orders/${orderId}/${action}`, {
        step: stepOf(page.body),
      });
      expect({ action, status: done.status }).toEqual({ action, status: 303 });
    }
    const types = await ctx.db
      .selectFrom('merchant_events')
      .select('type')
      .where('order_id', '=', orderId)
      .orderBy('received_at')
      .execute();
    expect(types.map((e) => e.type)).toContain('order.dispute_closed');
    expect((await subOrder(orderId)).status).toBe('buyer_confirmed_receipt');
  });

  it("shows a buyer's order to nobody else", async () => {
    const owner = marketBuyer(app, seeded.clickId);
    const orderId = orderIdOf((await buyOnPage(owner, seeded.product.productId)).answer.location);
    const page = await owner.get(`/market/orders/${orderId}`);
    const stranger = marketBuyer(app);
    await stranger.get(`/market/item/${seeded.product.productId}.html`);
    const seen = await stranger.get(`/market/orders/${orderId}`);
    expect(seen.status).toBe(404);
    expect(seen.body).not.toContain(seeded.product.title);
    const before = await marketCounts(ctx);
    const acted = await stranger.post(`/market/orders/${orderId}/refund`, {
      step: stepOf(page.body),
    });
    expect(acted.status).toBe(404);
    expect((await stranger.get('/market/orders')).body).not.toContain(orderId);
    expect(await marketCounts(ctx)).toEqual(before);
  });
});
