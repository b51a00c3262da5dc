import { parse } from 'csv-parse/sync';
import { beforeAll, expect, it } from 'vitest';
import { issueApiKey } from '../affiliates/api-keys.js';
import { runDueJobs } from '../jobs/run-due-jobs.js';
import { type App, buildApp } from '../server.js';
import { describeEachDatabase } from '../test/context.js';
import { accept, event, paidEvent, seedClickedProduct } from '../test/orders.js';

describeEachDatabase('the report routes', (t) => {
  let app: App;
  let key: string;
  let seeded: Awaited<ReturnType<typeof seedClickedProduct>>;
  const get = (url: string, k = key) =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${k}` } });

  beforeAll(async () => {
    const ctx = t();
    app = await buildApp(ctx);
    // A sub1 a spreadsheet would run as a formula: exports must keep it text.
    seeded = await seedClickedProduct(ctx, { subs: ['=HYPERLINK("x")', null, null, null, null] });
    key = (await issueApiKey(ctx, seeded.affiliate.id, ['reports:read'])).key;
    for (const n of [1, 2, 3])
      await accept(
        ctx,
        paidEvent(ctx, {
          orderId: `h-${n}`,
          productId: seeded.product.productId,
          clickId: seeded.clickId,
        }),
      );
    // h-1 settles and is then refunded in part; h-2 is cancelled; h-3 waits.
    await accept(
      ctx,
      event(ctx, 'order.receipt_confirmed', {
        order_id: 'h-1',
        confirmed_at: ctx.clock.now().toISOString(),
      }),
    );
    await accept(ctx, event(ctx, 'order.cancelled', { order_id: 'h-2' }));
    await runDueJobs(ctx);
    await accept(
      ctx,
      event(ctx, 'order.refunded', { order_id: 'h-1', sub_order_id: 'h-1-1', amount_minor: 999 }),
    );
  });

  it('answers the dashboard in minor units, for today, this month and last month', async () => {
    const res = await get('/api/v1/reports/dashboard');
    expect(res.statusCode).toBe(200);
    expect(res.headers['server-timing']).toMatch(/^app;dur=\d+\.\d{2}$/);
    expect(res.json()).toEqual({
      currency: 'USD',
      other_currencies: [],
      today: {
        from: '2026-03-01',
        to: '2026-03-01',
        clicks: 1,
        unique_clicks: 1,
        leads: 3,
        approved_leads: 1,
        invalid_leads: 1,
        estimated: 640,
        settled: 320,
        clawed_back: 80,
      },
      this_month: expect.objectContaining({ leads: 3, estimated: 640 }),
      last_month: expect.objectContaining({ from: '2026-02-01', to: '2026-02-28', leads: 0 }),
    });
  });

  it('answers the daily series, top products and breakdowns', async () => {
    const daily = (await get('/api/v1/reports/daily?days=90')).json();
    expect(daily.days).toHaveLength(90);
    expect(daily.days.at(-1)).toMatchObject({ day: '2026-03-01', leads: 3, estimated: 640 });
    expect((await get('/api/v1/reports/daily?days=45')).statusCode).toBe(400);
    const top = (await get('/api/v1/reports/top-products?period=today')).json();
    expect(top.products).toEqual([
      {
        product_id: seeded.product.productId,
        title: seeded.product.title,
        leads: 3,
        estimated: 640,
      },
    ]);
    const bySub = (await get('/api/v1/reports/breakdown?by=sub1')).json();
    expect(bySub.rows).toEqual([
      expect.objectContaining({ key: '=HYPERLINK("x")', clicks: 1, leads: 3, clawed_back: 80 }),
    ]);
    expect((await get('/api/v1/reports/breakdown?by=country')).statusCode).toBe(400);
  });

  it('streams the orders as CSV with each status and commission, formulas defused', async () => {
    const res = await get('/api/v1/reports/orders.csv?from=2026-03-01&to=2026-03-01');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="orders-2026-03-01-2026-03-01.csv"',
    );
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    expect(
      rows.map((r) => [
        r.sub_order_id,
        r.status,
        r.tracking_id,
        r.sub1,
        r.estimated_commission_minor,
        r.settled_commission_minor,
        r.clawed_back_minor,
        r.final_commission_minor,
      ]),
    ).toEqual([
      ['h-1-1', 'completed_settlement', 'default', `'=HYPERLINK("x")`, '320', '320', '80', '240'],
      ['h-2-1', 'invalid', 'default', `'=HYPERLINK("x")`, '320', '', '', '0'],
      ['h-3-1', 'payment_completed', 'default', `'=HYPERLINK("x")`, '320', '', '', ''],
    ]);
    expect(rows[1]?.invalid_reason).toBe('the order was cancelled');
    const empty = await get('/api/v1/reports/orders.csv?from=2026-02-01&to=2026-02-28');
    expect(empty.body.trim().split('\r\n')).toHaveLength(1);
  });

  it('exports click statistics as CSV', async () => {
    const res = await get(
      '/api/v1/reports/clicks.csv?from=2026-03-01&to=2026-03-31&by=tracking_id',
    );
    expect(res.statusCode).toBe(200);
    expect(parse(res.body)).toEqual([
      ['tracking_id', 'clicks', 'unique_clicks', 'bot_clicks'],
      ['default', '1', '1', '0'],
    ]);
  });

  it('refuses a request without a key, without the scope, or with a range too long', async () => {
    const ctx = t();
    const ordersOnly = (await issueApiKey(ctx, seeded.affiliate.id, ['orders:read'])).key;
    for (const url of [
      '/api/v1/reports/dashboard',
      '/api/v1/reports/daily',
      '/api/v1/reports/top-products',
      '/api/v1/reports/breakdown?by=sub1',
      '/api/v1/reports/orders.csv?from=2026-03-01&to=2026-03-01',
      '/api/v1/reports/clicks.csv?from=2026-03-01&to=2026-03-01',
    ]) {
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
      const scoped = await get(url, ordersOnly);
      expect(scoped.statusCode).toBe(403);
      expect(scoped.json().error.code).toBe('insufficient_scope');
    }
    const long = await get('/api/v1/reports/orders.csv?from=2025-01-01&to=2026-03-01');
    expect(long.statusCode).toBe(400);
    expect(long.json().error.code).toBe('invalid_request');
  });
});
