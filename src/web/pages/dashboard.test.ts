import { beforeAll, expect, it } from 'vitest';
import { type App, buildApp } from '../../server.js';
import { describeEachDatabase } from '../../test/context.js';
import { accept, paidEvent, seedClickedProduct } from '../../test/orders.js';
import { WebAgent } from '../../test/web-agent.js';

describeEachDatabase('the dashboard and the CSV exports', (t) => {
  let app: App;
  let agent: WebAgent;
  let today: string;

  beforeAll(async () => {
    const ctx = t();
    app = await buildApp(ctx);
    const seeded = await seedClickedProduct(ctx, {
      minutesAgo: 5,
      subs: ['spring', null, null, null, null],
    });
    await accept(
      ctx,
      paidEvent(ctx, {
        orderId: 'dash-1',
        productId: seeded.product.productId,
        clickId: seeded.clickId,
      }),
    );
    today = ctx.clock.now().toISOString().slice(0, 10);
    agent = new WebAgent(app);
    await agent.get('/login');
    const res = await agent.post('/login', {
      email: seeded.affiliate.email,
      password: 'a long password',
    });
    expect(res.location).toBe('/dashboard');
  });

  it("shows today's click and lead, the estimated commission, top products and the sub-id", async () => {
    const res = await agent.get('/dashboard');
    expect(res.status).toBe(200);
    const today = /<tr data-period="today">(.*?)<\/tr>/s.exec(res.body)?.[1] ?? '';
    expect(/data-stat="clicks">(\d+)</.exec(today)?.[1]).toBe('1');
    expect(/data-stat="leads">(\d+)</.exec(today)?.[1]).toBe('1');
    expect(/data-stat="estimated">([^<]+)</.exec(today)?.[1]).not.toMatch(/^0\.00/);
    expect(res.body).toContain('dash-1');
    expect(res.body).toContain('spring');
    expect((await agent.get('/dashboard?days=90')).status).toBe(200);
  });

  it('exports the orders, the clicks and the withdrawals as CSV', async () => {
    const orders = await agent.get(`/exports/orders.csv?from=${today}&to=${today}`);
    expect(orders.status).toBe(200);
    expect(orders.body.split('\r\n')[0]).toMatch(/^order_id,/);
    expect(orders.body).toContain('dash-1');
    const clicks = await agent.get(`/exports/clicks.csv?from=${today}&to=${today}&by=sub1`);
    expect(clicks.body).toBe(`sub1,clicks,unique_clicks,bot_clicks\r\nspring,1,1,0\r\n`);
    const withdrawals = await agent.get('/exports/withdrawals.csv');
    expect(withdrawals.body.split('\r\n')[0]).toMatch(/^id,requested_at,state/);
  });

  it('explains a bad range instead of exporting', async () => {
    const res = await agent.get('/exports/orders.csv?from=2026-12-31&to=2026-01-01');
    expect(res.status).toBe(400);
    expect(res.body).toContain('from must not be after to');
  });
});
