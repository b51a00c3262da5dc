import { beforeAll, expect, it } from 'vitest';
import { issueApiKey } from '../affiliates/api-keys.js';
import { type App, buildApp } from '../server.js';
import { describeEachDatabase } from '../test/context.js';
import { accept, paidEvent, seedClickedProduct } from '../test/orders.js';

const BASE = 'https://affnet.example';

describeEachDatabase(
  'the affiliate REST API: links, tracking ids, products, orders, reports',
  (t) => {
    let app: App;
    let seeded: Awaited<ReturnType<typeof seedClickedProduct>>;
    let key: string;
    const get = (url: string, k = key) =>
      app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${k}` } });
    const post = (url: string, payload: object, k = key) =>
      app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${k}` } });

    beforeAll(async () => {
      const ctx = t();
      app = await buildApp(ctx, { publicBaseUrl: BASE });
      seeded = await seedClickedProduct(ctx);
      key = (await issueApiKey(ctx, seeded.affiliate.id)).key;
      for (const n of [1, 2, 3]) {
        await accept(
          ctx,
          paidEvent(ctx, {
            orderId: `r-${n}`,
            productId: seeded.product.productId,
            clickId: seeded.clickId,
          }),
        );
        ctx.clock.advance(60_000);
      }
    });

    it('makes links for a new tracking id, the same link twice, and lists them newest first', async () => {
      expect((await post('/api/v1/tracking-ids', { name: 'newsletter' })).statusCode).toBe(201);
      expect((await post('/api/v1/tracking-ids', { name: 'newsletter' })).statusCode).toBe(409);
      const names = (await get('/api/v1/tracking-ids'))
        .json()
        .tracking_ids.map((x: { name: string }) => x.name);
      expect(names).toEqual(expect.arrayContaining(['default', 'newsletter']));
      const body = { urls: [seeded.product.url], tracking_id: 'newsletter' };
      const first = await post('/api/v1/links', body);
      expect(first.statusCode).toBe(200);
      expect(first.json().links[0]).toMatchObject({
        tracking_id: 'newsletter',
        created: true,
        promotion_link: expect.stringMatching(/^https:\/\/affnet\.example\/c\//),
      });
      const again = (await post('/api/v1/links', body)).json().links[0];
      expect(again).toMatchObject({ created: false, code: first.json().links[0].code });
      const listed = (await get('/api/v1/links?limit=1')).json();
      expect(listed.links[0].code).toBe(again.code);
      expect(listed.next_cursor).toEqual(expect.any(String));
      const rest = (await get(`/api/v1/links?before=${listed.next_cursor}`)).json();
      expect(rest.links.map((l: { code: string }) => l.code)).toContain(seeded.link.code);
      expect(
        (await post('/api/v1/links', { urls: ['https://evil.example/x'] })).json(),
      ).toMatchObject({
        error: { code: 'url_not_allowed' },
      });
    });

    it('pages the orders newest first with an opaque cursor, and explains one order', async () => {
      const page1 = (await get('/api/v1/orders?limit=2')).json();
      expect(page1.orders.map((o: { order_id: string }) => o.order_id)).toEqual(['r-3', 'r-2']);
      expect(page1.orders[0]).toMatchObject({
        tracking_id: 'default',
        status: 'payment_completed',
        commission: 320,
      });
      const page2 = (await get(`/api/v1/orders?limit=2&cursor=${page1.next_cursor}`)).json();
      expect(page2.orders.map((o: { order_id: string }) => o.order_id)).toEqual(['r-1']);
      expect(page2.next_cursor).toBeNull();
      expect((await get('/api/v1/orders?cursor=not-a-cursor')).statusCode).toBe(400);
      expect((await get('/api/v1/orders?limit=51')).statusCode).toBe(400);
      const order = (await get('/api/v1/orders/r-2')).json();
      expect(order).toMatchObject({ order_id: 'r-2', tracking_id: 'default' });
      expect(order.buyer_id).toBeUndefined();
      expect(order.sub_orders[0].explanation.join(' ')).toMatch(/8\.00%/);
      expect((await get('/api/v1/orders/nope')).statusCode).toBe(404);
    });

    it('searches products with their rate now, and reports clicks by tracking id', async () => {
      const found = (
        await get(`/api/v1/products?q=${encodeURIComponent(seeded.product.title)}`)
      ).json();
      expect(found.products[0]).toMatchObject({
        product_id: seeded.product.productId,
        commission_rate_bp: 800,
      });
      const one = await get(`/api/v1/products/${seeded.product.productId}`);
      expect(one.json().rate_explanation).toEqual(expect.any(String));
      expect((await get('/api/v1/products/none')).statusCode).toBe(404);
      expect((await get('/api/v1/products?limit=500')).statusCode).toBe(400);
      const day = t().clock.now().toISOString().slice(0, 10);
      const report = (
        await get(`/api/v1/reports/clicks?from=${day}&to=${day}&by=tracking_id`)
      ).json();
      expect(report.rows).toEqual([{ key: 'default', clicks: 1, unique_clicks: 1, bot_clicks: 0 }]);
      expect((await get('/api/v1/reports/clicks?from=2026-03-02&to=2026-03-01')).statusCode).toBe(
        400,
      );
    });

    it('refuses a key without the route’s scope', async () => {
      const readOnly = (await issueApiKey(t(), seeded.affiliate.id, ['links:read'])).key;
      expect((await get('/api/v1/links', readOnly)).statusCode).toBe(200);
      expect(
        (await post('/api/v1/links', { urls: [seeded.product.url] }, readOnly)).statusCode,
      ).toBe(403);
      expect((await get('/api/v1/orders', readOnly)).json()).toMatchObject({
        error: { code: 'insufficient_scope' },
      });
    });
  },
);
