import { beforeAll, expect, it } from 'vitest';
import { runDueJobs } from '../../jobs/run-due-jobs.js';
import { acceptSellerInvite, inviteSeller } from '../../sellers/invite-seller.js';
import { type App, buildApp } from '../../server.js';
import { describeEachDatabase } from '../../test/context.js';
import { accept, event, paidEvent, seedClickedProduct } from '../../test/orders.js';
import { SELLER_PASSWORD, seedSellerWithLogin, sellerAgent } from '../../test/sellers.js';
import type { WebAgent } from '../../test/web-agent.js';

describeEachDatabase("the seller center's reports, orders and statement", (t) => {
  let app: App;
  let agent: WebAgent;
  let seeded: Awaited<ReturnType<typeof seedClickedProduct>>;
  let today: string;

  beforeAll(async () => {
    const ctx = t();
    app = await buildApp(ctx);
    seeded = await seedClickedProduct(ctx);
    const { seller_id: sellerId } = await ctx.db
      .selectFrom('stores')
      .select('seller_id')
      .where('id', '=', seeded.storeId)
      .executeTakeFirstOrThrow();
    const invite = await inviteSeller(ctx, {
      sellerId,
      email: `reports-${sellerId}@shop.example`,
      baseUrl: 'http://localhost',
    });
    await acceptSellerInvite(ctx, invite.token, SELLER_PASSWORD);
    const pay = (orderId: string) =>
      accept(
        ctx,
        paidEvent(ctx, { orderId, productId: seeded.product.productId, clickId: seeded.clickId }),
      );
    await pay('sr-1');
    await pay('sr-2');
    await accept(
      ctx,
      event(ctx, 'order.receipt_confirmed', {
        order_id: 'sr-1',
        confirmed_at: ctx.clock.now().toISOString(),
      }),
    );
    await runDueJobs(ctx);
    today = ctx.clock.now().toISOString().slice(0, 10);
    agent = await sellerAgent(app, invite.email);
  });

  it('shows the orders with the rate each was locked at, and the report per day, product and category', async () => {
    const orders = await agent.get('/seller/orders');
    expect(orders.status).toBe(200);
    expect(orders.body).toContain('sr-1');
    expect(orders.body).toContain('sr-2');
    expect(orders.body).toMatch(/class="num rate">\d+\.\d\d%</);
    for (const by of ['day', 'product', 'category']) {
      const report = await agent.get(`/seller/reports?by=${by}&from=${today}&to=${today}`);
      expect({ by, status: report.status }).toEqual({ by, status: 200 });
      expect(report.body).toContain('<td class="num">2</td>');
    }
    expect((await agent.get(`/seller/reports?by=product`)).body).toContain(seeded.product.title);
  });

  it('downloads the report, the orders and the statement as CSV', async () => {
    const report = await agent.get(`/seller/reports.csv?by=day&from=${today}&to=${today}`);
    expect(report.status).toBe(200);
    expect(report.body.split('\r\n')[0]).toMatch(/^day,/);
    const orders = await agent.get(`/seller/orders.csv?from=${today}&to=${today}`);
    expect(orders.body).toContain('sr-2');
    const statement = await agent.get('/seller/statement.csv');
    expect(statement.status).toBe(200);
    expect(statement.body).toContain('sr-1');
  });

  it('shows the statement: the settled order released, with the running balance', async () => {
    const page = await agent.get('/seller/statement');
    expect(page.status).toBe(200);
    expect(page.body).toContain('sr-1');
    expect(page.body).not.toContain('sr-2');
    expect(page.body).toContain('release');
  });

  it('refuses a bad range with the reason, and another seller sees none of it', async () => {
    const backwards = await agent.get('/seller/reports?from=2026-05-02&to=2026-05-01');
    expect(backwards.status).toBe(422);
    expect(backwards.body).toContain('From must be on or before to.');
    expect((await agent.get('/seller/orders?from=nope')).status).toBe(422);
    expect((await agent.get('/seller/reports.csv?from=2020-01-01&to=2026-01-01')).status).toBe(422);
    const other = await seedSellerWithLogin(t());
    const theirs = await sellerAgent(app, other.email);
    for (const path of [
      '/seller/orders',
      '/seller/reports?by=product',
      '/seller/statement',
      '/seller/statement.csv',
      `/seller/orders.csv?from=${today}&to=${today}`,
    ]) {
      const res = await theirs.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect({ path, leaks: res.body.includes('sr-1') }).toEqual({ path, leaks: false });
    }
    expect((await theirs.get(`/seller/orders?store=${seeded.storeId}`)).status).toBe(422);
  });
});
