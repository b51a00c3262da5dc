import { beforeAll, expect, it } from 'vitest';
import { type App, buildApp } from '../server.js';
import { describeEachDatabase, type TestContext } from '../test/context.js';
import { seedProduct } from '../test/factories.js';
import { buildMarketApp, marketBuyer } from '../test/market.js';
import { seedClickedProduct } from '../test/orders.js';

describeEachDatabase("the demo market's catalog and pictures", (t) => {
  let ctx: TestContext;
  let app: App;
  let seeded: Awaited<ReturnType<typeof seedClickedProduct>>;

  beforeAll(async () => {
    ctx = t();
    app = await buildMarketApp(ctx);
    seeded = await seedClickedProduct(ctx, { minutesAgo: 5 });
  });

  it('lists the catalog: the home page, a category, a search, in pages', async () => {
    const agent = marketBuyer(app);
    const home = await agent.get('/market');
    expect(home.status).toBe(200);
    expect(home.body).toContain(`/market/item/${seeded.product.productId}.html`);
    const category = await agent.get(`/market/category/${seeded.product.categoryId}`);
    expect(category.status).toBe(200);
    expect(category.body).toContain(seeded.product.title);
    const found = await agent.get(`/market/search?q=${encodeURIComponent(seeded.product.title)}`);
    expect(found.status).toBe(200);
    expect(found.body).toContain(`/market/item/${seeded.product.productId}.html`);
    const none = await agent.get('/market/search?q=%3Cscript%3E');
    expect(none.status).toBe(200);
    expect(none.body).not.toContain('<script>');
    expect(none.body).toContain('No products here.');
    expect(home.body).not.toMatch(/<script|style=/);
  });

  it('draws each product a picture, cacheable, and 404s an unknown one', async () => {
    const product = await seedProduct(ctx, seeded.storeId, seeded.product.categoryId, {
      title: 'Lamp <b>"bright"</b> & warm',
    });
    const res = await app.inject({ method: 'GET', url: `/market/img/${product.productId}.svg` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml');
    expect(res.headers['cache-control']).toMatch(/max-age=604800/);
    expect(res.body).toContain('&lt;b&gt;');
    expect(res.body).not.toContain('<b>');
    const again = await app.inject({ method: 'GET', url: `/market/img/${product.productId}.svg` });
    expect(again.body).toBe(res.body);
    expect((await app.inject({ method: 'GET', url: '/market/img/nope.svg' })).statusCode).toBe(404);
  });

  it('is not served without the demo option', async () => {
    const plain = await buildApp(ctx);
    expect((await plain.inject({ method: 'GET', url: '/market' })).statusCode).toBe(404);
    await plain.close();
  });
});
