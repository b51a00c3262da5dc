import { beforeAll, expect, it } from 'vitest';
import { issueApiCredentials } from '../../affiliates/api-credentials.js';
import { type App, buildApp } from '../../server.js';
import { describeEachDatabase } from '../../test/context.js';
import { methodCall, seedProductWorld } from '../../test/open-api-world.js';
import { featuredPromoProductsGet } from './methods/featured-promo.js';
import { orderList, orderListByIndex } from './methods/order-list.js';
import { hotProductQuery, productQuery } from './methods/product-query.js';
import { openApiSignature } from './sign.js';

// Found by the fuzz (src/api/fuzz-open-api.test.ts): names looked up in a plain object took
// what every object inherits — `sort=constructor` ran a search with a junk sort,
// `promotion_name=hasOwnProperty` and `status=__proto__` failed with ServiceUnavailable —
// and, on PostgreSQL, an app_key with a NUL failed its lookup with ServiceUnavailable.
describeEachDatabase('Open API parameters that name what objects inherit', (t) => {
  let world: Awaited<ReturnType<typeof seedProductWorld>>;
  let app: App;
  let key: { appKey: string; appSecret: string };

  beforeAll(async () => {
    world = await seedProductWorld(t());
    app = await buildApp(t());
    key = await issueApiCredentials(t(), world.affiliate.id);
  });

  it('refuses each as an invalid parameter', async () => {
    const range = { start_time: '2026-03-01 00:00:00', end_time: '2026-03-02 00:00:00' };
    const cases = [
      [productQuery, { sort: 'constructor' }],
      [hotProductQuery, { sort: '__proto__' }],
      [featuredPromoProductsGet, { promotion_name: 'hasOwnProperty' }],
      [featuredPromoProductsGet, { promotion_name: 'Hot Product', sort: 'toString' }],
      [orderList, { ...range, status: '__proto__' }],
      [orderListByIndex, { ...range, status: 'Invalid', time_type: 'constructor' }],
    ] as const;
    for (const [method, params] of cases)
      await expect(
        method.handle(methodCall(t(), world.affiliate.id, params)),
        `${method.name} ${JSON.stringify(params)}`,
      ).rejects.toMatchObject({ name: 'OpenApiError', code: 'InvalidParameter' });
  });

  it('refuses a parameter with a NUL character before looking up its app_key', async () => {
    const params: Record<string, string> = {
      app_key: `${key.appKey}\u0000`,
      method: 'aliexpress.affiliate.category.get',
      timestamp: String(t().clock.now().getTime()),
      sign_method: 'md5',
    };
    params.sign = openApiSignature(params, key.appSecret, 'md5');
    const res = await app.inject({ url: `/sync?${new URLSearchParams(params)}` });
    expect(res.json().error_response).toMatchObject({ type: 'ISV', code: 'InvalidParameter' });
  });
});
