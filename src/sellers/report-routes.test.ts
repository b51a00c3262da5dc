import { afterAll, beforeAll, expect, it } from 'vitest';
import { runDueJobs } from '../jobs/run-due-jobs.js';
import { type App, buildApp } from '../server.js';
import { describeEachDatabase } from '../test/context.js';
import { accept, event, paidEvent, seedClickedProduct } from '../test/orders.js';
import { issueSellerApiKey } from './seller-api-keys.js';

describeEachDatabase('seller API: reports, orders and the statement', (t) => {
  let app: App;
  let key: string;
  let storeId: string;

  beforeAll(async () => {
    const ctx = t();
    app = await buildApp(ctx);
    const seeded = await seedClickedProduct(ctx);
    storeId = seeded.storeId;
    const { productId } = seeded.product;
    await accept(ctx, paidEvent(ctx, { orderId: 'api-1', productId, clickId: seeded.clickId }));
    await accept(
      ctx,
      event(ctx, 'order.receipt_confirmed', {
        order_id: 'api-1',
        confirmed_at: ctx.clock.now().toISOString(),
      }),
    );
    await runDueJobs(ctx);
    const store = await ctx.db
      .selectFrom('stores')
      .select('seller_id')
      .where('id', '=', storeId)
      .executeTakeFirstOrThrow();
    key = (await issueSellerApiKey(ctx, store.seller_id)).key;
  });
  afterAll(async () => {
    await app?.close();
  });

  const get = (url: string) => app.inject({ url, headers: { authorization: `Bearer ${key}` } });
  const day = () => t().clock.now().toISOString().slice(0, 10);

  it('answers the reports, the order list and the statement in minor units, and as CSV', async () => {
    const range = `from=${day()}&to=${day()}`;
    const daily = await get(`/api/seller/v1/reports/daily?${range}&storeId=${storeId}`);
    expect(daily.statusCode).toBe(200);
    expect(daily.json()).toEqual({
      rows: [
        {
          key: day(),
          label: day(),
          orders: 1,
          sub_orders: 1,
          sales: 3998,
          commission_estimated: 0,
          commission_settled: 320,
          commission_invalid: 0,
          currency: 'USD',
        },
      ],
    });
    const orders = await get(`/api/seller/v1/orders?${range}`);
    expect(orders.json()).toMatchObject({
      rows: [{ sub_order_id: 'api-1-1', rate_bp: 800, sales: 3998, commission: 320 }],
      next: null,
    });
    const statement = await get('/api/seller/v1/statement');
    expect(statement.json()).toMatchObject({
      currency: 'USD',
      balance: 3678,
      lines: [{ kind: 'release', sale: 3998, commission: 320, amount: 3678, balance: 3678 }],
    });
    const csv = await get('/api/seller/v1/statement.csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).toMatch(/,release,api-1,api-1-1,.*,39\.98,3\.20,36\.78,36\.78,USD\r\n$/);
    const ordersCsv = await get(`/api/seller/v1/orders.csv?${range}`);
    expect(ordersCsv.body.split('\r\n')).toHaveLength(3);
  });

  it('refuses bad days and ranges with a 400 that says why, and no key with a 401', async () => {
    for (const [query, message] of [
      ['from=2026-02-30&to=2026-03-01', /real days/],
      ['from=2026-03-02&to=2026-03-01', /after to/],
      ['from=2025-01-01&to=2026-03-01', /366 days/],
      ['from=2026-03-01', /to/],
    ] as const) {
      const res = await get(`/api/seller/v1/reports/products?${query}`);
      expect({ query, status: res.statusCode }).toEqual({ query, status: 400 });
      expect(res.json().error.message).toMatch(message);
    }
    expect((await get('/api/seller/v1/statement?currency=usd')).statusCode).toBe(400);
    expect(
      (await get('/api/seller/v1/orders?from=2026-03-01&to=2026-03-01&after=zz')).statusCode,
    ).toBe(400);
    const anonymous = await app.inject({ url: '/api/seller/v1/statement' });
    expect(anonymous.statusCode).toBe(401);
  });
});
