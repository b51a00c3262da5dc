import { beforeAll, expect, it } from 'vitest';
import { issueApiCredentials } from '../../affiliates/api-credentials.js';
import { RateLimiter } from '../../lib/rate-limiter.js';
import { type App, buildApp } from '../../server.js';
import { describeEachDatabase } from '../../test/context.js';
import { seedAffiliate } from '../../test/factories.js';
import { accept, paidEvent, seedClickedProduct } from '../../test/orders.js';
import { PLATFORM_OFFSET_MS } from './params.js';
import { openApiSignature, type SignMethod } from './sign.js';

const BASE = 'https://affnet.example';

/** A time as the platform writes it: GMT+8, yyyy-MM-dd HH:mm:ss. */
const platform = (at: Date) =>
  new Date(at.getTime() + PLATFORM_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');

describeEachDatabase('the AliExpress-compatible Open API', (t) => {
  let app: App;
  let seeded: Awaited<ReturnType<typeof seedClickedProduct>>;
  let key: { appKey: string; appSecret: string };

  beforeAll(async () => {
    const ctx = t();
    app = await buildApp(ctx, {
      publicBaseUrl: BASE,
      openApiLimiter: new RateLimiter({ perSecond: 1000, burst: 1000 }),
    });
    seeded = await seedClickedProduct(ctx);
    key = await issueApiCredentials(ctx, seeded.affiliate.id);
    await accept(
      ctx,
      paidEvent(ctx, {
        orderId: 'oa-1',
        productId: seeded.product.productId,
        clickId: seeded.clickId,
        subOrders: 2,
      }),
    );
  });

  /** Signs and sends a call; `extra` overrides system parameters (to break them). */
  async function call(
    method: string,
    business: Record<string, string>,
    options: {
      extra?: Record<string, string>;
      signMethod?: SignMethod;
      secret?: string;
      as?: { appKey: string; appSecret: string };
      post?: boolean;
      target?: App;
    } = {},
  ) {
    const as = options.as ?? key;
    const params: Record<string, string> = {
      app_key: as.appKey,
      method,
      timestamp: String(t().clock.now().getTime()),
      sign_method: options.signMethod ?? 'sha256',
      format: 'json',
      v: '2.0',
      ...business,
      ...options.extra,
    };
    params.sign = openApiSignature(
      params,
      options.secret ?? as.appSecret,
      (params.sign_method as SignMethod) ?? 'md5',
    );
    if (options.extra && 'sign' in options.extra) params.sign = options.extra.sign as string;
    const target = options.target ?? app;
    const res = options.post
      ? await target.inject({
          method: 'POST',
          url: `/sync?method=${encodeURIComponent(method)}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
          payload: new URLSearchParams(params).toString(),
        })
      : await target.inject({ method: 'GET', url: `/sync?${new URLSearchParams(params)}` });
    expect(res.statusCode).toBe(200);
    return res.json();
  }
  const errorOf = (body: { error_response?: { code: string; type: string } }) =>
    body.error_response?.code;

  it('generates tracking links, signed with md5, hmac or sha256, by GET or a form POST', async () => {
    for (const signMethod of ['md5', 'hmac', 'sha256'] as const) {
      const body = await call(
        'aliexpress.affiliate.link.generate',
        {
          promotion_link_type: '0',
          source_values: seeded.product.url,
          tracking_id: 'default',
        },
        { signMethod, post: signMethod === 'hmac' },
      );
      const result = body.aliexpress_affiliate_link_generate_response.resp_result;
      expect(result).toMatchObject({ resp_code: 200, result: { total_result_count: 1 } });
      expect(result.result.promotion_links.promotion_link[0]).toMatchObject({
        source_value: seeded.product.url,
        promotion_link: expect.stringMatching(/^https:\/\/affnet\.example\/c\/[0-9A-Za-z]+$/),
      });
    }
  });

  it('lists, pages and gets the caller’s orders, one row per sub-order', async () => {
    const now = t().clock.now();
    const range = {
      start_time: platform(new Date(now.getTime() - 3_600_000)),
      end_time: platform(new Date(now.getTime() + 3_600_000)),
      status: 'Payment Completed',
    };
    const listed = (await call('aliexpress.affiliate.order.list', { ...range, page_size: '1' }))
      .aliexpress_affiliate_order_list_response.resp_result;
    expect(listed).toMatchObject({
      resp_code: 200,
      result: {
        current_page_no: 1,
        current_record_count: 1,
        total_page_no: 2,
        total_record_count: 2,
      },
    });
    const row = listed.result.orders.order[0];
    expect(row).toMatchObject({
      order_id: 'oa-1',
      sub_order_id: 'oa-1-1',
      tracking_id: 'default',
      order_status: 'Payment Completed',
      commission_rate: '8.00%',
      paid_amount: 3998,
      estimated_paid_commission: 320,
      settled_currency: 'USD',
      paid_time: platform(now),
      product_count: 2,
    });
    const byIndex = (
      await call('aliexpress.affiliate.order.listbyindex', {
        ...range,
        page_size: '1',
        start_query_index_id: 'oa-1-1',
        fields: 'sub_order_id,order_status',
      })
    ).aliexpress_affiliate_order_listbyindex_response.resp_result.result;
    expect(byIndex).toMatchObject({ min_query_index_id: 'oa-1-2', max_query_index_id: 'oa-1-2' });
    expect(byIndex.orders.order).toEqual([
      { sub_order_id: 'oa-1-2', order_status: 'Payment Completed' },
    ]);
    const got = (await call('aliexpress.affiliate.order.get', { order_ids: 'oa-1-2,nope' }))
      .aliexpress_affiliate_order_get_response.resp_result.result;
    expect(got.orders.order.map((o: { sub_order_id: string }) => o.sub_order_id)).toEqual([
      'oa-1-2',
    ]);
    // Another affiliate sees none of them: an empty result, not an error.
    const other = await issueApiCredentials(t(), (await seedAffiliate(t(), { approve: true })).id);
    const theirs = await call(
      'aliexpress.affiliate.order.get',
      { order_ids: 'oa-1-1' },
      { as: other },
    );
    expect(theirs.aliexpress_affiliate_order_get_response.resp_result).toMatchObject({
      resp_code: 405,
      resp_msg: 'The result is empty',
    });
  });

  it('answers every bad call with the platform’s error shape and code, never a 500', async () => {
    const link = {
      promotion_link_type: '0',
      source_values: seeded.product.url,
      tracking_id: 'default',
    };
    const m = 'aliexpress.affiliate.link.generate';
    expect(errorOf(await call(m, link, { secret: 'wrong' }))).toBe('IncompleteSignature');
    expect(errorOf(await call(m, link, { extra: { sign: '' } }))).toBe('MissingParameter');
    const hours3 = String(t().clock.now().getTime() - 3 * 3_600_000);
    expect(errorOf(await call(m, link, { extra: { timestamp: hours3 } }))).toBe('InvalidTimestamp');
    expect(errorOf(await call(m, link, { extra: { timestamp: '2026-13-01 00:00:00' } }))).toBe(
      'InvalidTimestamp',
    );
    expect(errorOf(await call('aliexpress.affiliate.nope', {}))).toBe('InvalidApiPath');
    expect(errorOf(await call(m, link, { as: { appKey: '99999999', appSecret: 'x' } }))).toBe(
      'InvalidAppKey',
    );
    expect(errorOf(await call(m, { ...link, tracking_id: 'someone-elses' }))).toBe(
      'InvalidParameter',
    );
    expect(errorOf(await call(m, { ...link, promotion_link_type: '7' }))).toBe('InvalidParameter');
    expect(errorOf(await call(m, { tracking_id: 'default' }))).toBe('MissingParameter');
    const orders = 'aliexpress.affiliate.order.list';
    const range = {
      start_time: '2026-03-01 00:00:00',
      end_time: '2026-03-02 00:00:00',
      status: 'Payment Completed',
    };
    expect(errorOf(await call(orders, { ...range, page_size: '51' }))).toBe('InvalidParameter');
    expect(errorOf(await call(orders, { ...range, start_time: '03/01/2026' }))).toBe(
      'InvalidParameter',
    );
    expect(errorOf(await call(orders, { ...range, status: 'Shipped' }))).toBe('InvalidParameter');
    const res = await app.inject({ method: 'GET', url: '/sync' });
    expect(res.statusCode).toBe(200);
    expect(res.json().error_response).toMatchObject({ type: 'ISV', code: 'MissingParameter' });
  });

  it('answers ApiCallLimit past the caller’s rate, per app_key', async () => {
    const limited = await buildApp(t(), {
      publicBaseUrl: BASE,
      openApiLimiter: new RateLimiter({ perSecond: 0.001, burst: 2 }),
    });
    const m = 'aliexpress.affiliate.category.get';
    const codes = [];
    for (let i = 0; i < 3; i += 1) codes.push(errorOf(await call(m, {}, { target: limited })));
    expect(codes).toEqual([undefined, undefined, 'ApiCallLimit']);
  });
});
