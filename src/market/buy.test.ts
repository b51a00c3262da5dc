import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import type { App } from '../server.js';
import { describeEachDatabase, type TestContext } from '../test/context.js';
import { postGeneratedForms } from '../test/form-fuzz.js';
import {
  buildMarketApp,
  buyOnPage,
  marketBuyer,
  marketCounts,
  orderIdOf,
  subOrderOf,
} from '../test/market.js';
import { seedClick, seedClickedProduct } from '../test/orders.js';

describeEachDatabase('buying in the demo market', (t) => {
  let ctx: TestContext;
  let app: App;
  let seeded: Awaited<ReturnType<typeof seedClickedProduct>>;

  beforeAll(async () => {
    ctx = t();
    app = await buildMarketApp(ctx);
    seeded = await seedClickedProduct(ctx, { minutesAgo: 5 });
  });

  const subOrder = (orderId: string) => subOrderOf(ctx, orderId);

  it("buys through the click cookie: affnet's order is the affiliate's, with its commission, and shipped", async () => {
    const agent = marketBuyer(app, seeded.clickId);
    const page = await agent.get(`/market/item/${seeded.product.productId}.html`);
    expect(page.body).toContain(seeded.product.title);
    expect(page.body).toContain('Demo market');
    expect(page.body).toContain(seeded.clickId);
    expect(agent.cookies.get('market_buyer')).toMatch(/^mb-[0-9a-f]{24}$/);

    const { answer } = await buyOnPage(agent, seeded.product.productId);
    expect(answer.status).toBe(303);
    expect(answer.location).toMatch(/\?done=bought$/);
    const orderId = orderIdOf(answer.location);
    const order = await ctx.db
      .selectFrom('orders')
      .selectAll()
      .where('order_id', '=', orderId)
      .executeTakeFirstOrThrow();
    expect(order).toMatchObject({
      affiliate_id: seeded.affiliate.id,
      click_id: seeded.clickId,
      buyer_id: agent.cookies.get('market_buyer'),
      is_new_buyer: 1n,
      ship_to_country: 'DE',
      shipping_method: 'DHL',
    });
    const sub = await subOrder(orderId);
    expect(sub).toMatchObject({
      sub_order_id: `${orderId}-1`,
      quantity: 2n,
      paid_minor: 3998n,
      rate_bp: 800n,
      commission_settlement_minor: 320n,
      status: 'payment_completed',
    });
    const shipped = await ctx.db
      .selectFrom('merchant_events')
      .select('type')
      .where('order_id', '=', orderId)
      .execute();
    expect(shipped.map((e) => e.type).sort()).toEqual(['order.paid', 'order.shipped']);

    const shown = await agent.get(answer.location as string);
    expect(shown.status).toBe(200);
    expect(shown.body).toContain('Thank you');
    expect(shown.body).toContain('39.98 USD');
    expect(shown.body).toContain('affnet accepted it');
    for (const button of ['Confirm receipt', 'Open dispute', 'Request refund'])
      expect(shown.body).toContain(button);
    const list = await agent.get('/market/orders');
    expect(list.body).toContain(orderId);
  });

  it('places one order when the same Buy form is sent twice', async () => {
    const agent = marketBuyer(app, seeded.clickId);
    const { answer, form } = await buyOnPage(agent, seeded.product.productId);
    const before = await marketCounts(ctx);
    const again = await agent.post('/market/buy', form);
    expect(again.status).toBe(303);
    expect(orderIdOf(again.location)).toBe(orderIdOf(answer.location));
    expect(await marketCounts(ctx)).toEqual(before);
  });

  it('credits the click carried on the page URL when the cookie is missing, and none without either', async () => {
    const { clickId } = await seedClick(ctx, seeded.link.code, { minutesAgo: 2 });
    const agent = marketBuyer(app);
    const { answer } = await buyOnPage(
      agent,
      seeded.product.productId,
      {},
      `/market/item/${seeded.product.productId}.html?aff_click_id=${clickId}`,
    );
    const order = await ctx.db
      .selectFrom('orders')
      .select(['affiliate_id', 'click_id', 'is_new_buyer'])
      .where('order_id', '=', orderIdOf(answer.location))
      .executeTakeFirstOrThrow();
    expect(order).toEqual({
      affiliate_id: seeded.affiliate.id,
      click_id: clickId,
      is_new_buyer: 1n,
    });

    const second = await buyOnPage(agent, seeded.product.productId, { click_id: '' });
    const next = await ctx.db
      .selectFrom('orders')
      .select(['affiliate_id', 'click_id', 'is_new_buyer'])
      .where('order_id', '=', orderIdOf(second.answer.location))
      .executeTakeFirstOrThrow();
    expect(next).toEqual({ affiliate_id: null, click_id: null, is_new_buyer: 0n });
  });

  it('answers bad input with a clear 4xx page and changes nothing', async () => {
    const agent = marketBuyer(app, seeded.clickId);
    await agent.get(`/market/item/${seeded.product.productId}.html`);
    const before = await marketCounts(ctx);
    const cases: [Record<string, string>, number, string][] = [
      [{ quantity: '0' }, 422, 'a whole number from 1 to 99'],
      [{ quantity: '-1' }, 422, 'a whole number from 1 to 99'],
      [{ quantity: 'abc' }, 422, 'a whole number from 1 to 99'],
      [{ quantity: '1000000000' }, 422, 'a whole number from 1 to 99'],
      [{ quantity: '1.5' }, 422, 'a whole number from 1 to 99'],
      [{ shipping_method: 'PIGEON' }, 422, 'choose one of the ways this product ships'],
      [{ key: 'not-a-uuid' }, 422, 'this form has expired'],
      [{ product_id: 'no-such-product' }, 404, 'This product is not in the market.'],
      [{ product_id: '<script>' }, 404, 'This product is not in the market.'],
      [{ _csrf: '' }, 403, 'This form has expired'],
    ];
    for (const [fields, status, words] of cases) {
      const { answer } = await buyOnPage(agent, seeded.product.productId, fields);
      expect({ fields, status: answer.status }).toEqual({ fields, status });
      expect(answer.body).toContain(words);
    }
    expect(await marketCounts(ctx)).toEqual(before);

    const unknown = await agent.get('/market/item/no-such-product.html');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('No such product');
    expect((await agent.get('/market/item/whatever')).status).toBe(404);
    expect((await agent.get('/market/orders/mkt-nope')).status).toBe(404);
    expect((await agent.get('/market/no-such-page')).status).toBe(404);
    expect((await agent.get('/market/category/no-such-category')).status).toBe(404);
    expect((await agent.get('/market/search?q=x&page=0')).status).toBe(400);
    expect((await agent.get('/market/search?q=x&page=abc')).status).toBe(400);
    expect((await agent.get(`/market/search?q=${'x'.repeat(201)}`)).status).toBe(400);
  });

  it('never answers a generated Buy or order form with a 5xx', async () => {
    const agent = marketBuyer(app, seeded.clickId);
    const orderId = orderIdOf((await buyOnPage(agent, seeded.product.productId)).answer.location);
    await agent.get(`/market/orders/${orderId}`);
    const statuses = await postGeneratedForms(
      agent,
      [
        '/market/buy',
        ...['confirm', 'dispute', 'refund', 'nope'].map((a) => `/market/orders/${orderId}/${a}`),
      ],
      ['product_id', 'quantity', 'shipping_method', 'key', 'click_id', 'step'],
      [seeded.product.productId, 'DHL', '1', '3', '4', randomUUID(), seeded.clickId],
      150,
    );
    expect(statuses.has(422)).toBe(true);
  });
});
