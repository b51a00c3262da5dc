import { beforeAll, expect, it } from 'vitest';
import { type App, buildApp } from '../../server.js';
import { describeEachDatabase } from '../../test/context.js';
import { accept, paidEvent, seedClickedProduct } from '../../test/orders.js';
import { WebAgent } from '../../test/web-agent.js';

describeEachDatabase("portal pages show only the logged-in affiliate's data", (t) => {
  let app: App;
  let b: WebAgent;
  let a: { orderId: string; linkCode: string; affiliateId: string };

  beforeAll(async () => {
    const ctx = t();
    app = await buildApp(ctx);
    const seeded = await seedClickedProduct(ctx);
    await accept(
      ctx,
      paidEvent(ctx, {
        orderId: 'page-iso-1',
        productId: seeded.product.productId,
        clickId: seeded.clickId,
      }),
    );
    a = { orderId: 'page-iso-1', linkCode: seeded.link.code, affiliateId: seeded.affiliate.id };
    b = new WebAgent(app);
    await b.get('/signup');
    const joined = await b.post('/signup', {
      email: 'b@pages.example',
      password: 'b passphrase long',
      country: 'DE',
      websiteUrl: 'https://b.example',
    });
    expect(joined.status).toBe(303);
  });

  it("answers 404 for another affiliate's order", async () => {
    const res = await b.get(`/orders/${a.orderId}`);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain(a.affiliateId);
  });

  it('shows none of the other affiliate on any page', async () => {
    for (const path of [
      '/dashboard',
      '/links',
      '/orders',
      '/payouts',
      '/settings',
      '/exports/orders.csv?from=2026-01-01&to=2026-12-31',
      '/exports/clicks.csv?from=2026-01-01&to=2026-12-31',
      '/exports/withdrawals.csv',
    ]) {
      const res = await b.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      for (const secret of [a.orderId, a.linkCode, a.affiliateId])
        expect({ path, leaks: res.body.includes(secret) }).toEqual({ path, leaks: false });
    }
  });

  it('sends a visitor without a session to log in, for every page', async () => {
    const visitor = new WebAgent(app);
    for (const path of ['/dashboard', '/links', '/products', '/orders', '/payouts', '/settings']) {
      const res = await visitor.get(path);
      expect({ path, status: res.status, to: res.location }).toEqual({
        path,
        status: 303,
        to: `/login?next=${encodeURIComponent(path)}`,
      });
    }
  });
});
