import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOperator } from '../auth/create-operator.js';
import { issueOperatorToken } from '../auth/operator-tokens.js';
import { DAY_MS } from '../clock.js';
import { type App, buildApp } from '../server.js';
import { describeEachDatabase } from '../test/context.js';
import { seedSellerWithStore } from '../test/seller-stores.js';

describeEachDatabase('seller REST API', (t) => {
  let app: App;
  let a: Awaited<ReturnType<typeof seedSellerWithStore>>;
  let b: Awaited<ReturnType<typeof seedSellerWithStore>>;
  let operator: string;
  let keyA: string;

  beforeAll(async () => {
    const ctx = t();
    app = await buildApp(ctx, { publicBaseUrl: 'https://affnet.example' });
    a = await seedSellerWithStore(ctx, { products: 3 });
    a.productIds.sort(); // the API pages in id order
    b = await seedSellerWithStore(ctx, { products: 1 });
    await createOperator(ctx, { email: 'seller-ops@example.com', password: 'a long password' });
    operator = (await issueOperatorToken(ctx, 'seller-ops@example.com')).token;
  });
  afterAll(async () => {
    await app?.close();
  });

  const as = (key: string) => ({ authorization: `Bearer ${key}` });

  it('lets the operator create a seller and its store, refusing a taken id', async () => {
    const seller = await app.inject({
      method: 'POST',
      url: '/api/operator/v1/sellers',
      headers: as(operator),
      payload: { name: 'Made by API', email: 'api-seller@shop.example' },
    });
    expect(seller.statusCode).toBe(201);
    const id = seller.json().id as string;
    const store = () =>
      app.inject({
        method: 'POST',
        url: `/api/operator/v1/sellers/${id}/stores`,
        headers: as(operator),
        payload: { id: `api-store-${id.slice(-6)}`, name: 'API store' },
      });
    expect((await store()).statusCode).toBe(201);
    expect((await store()).json().error.code).toBe('duplicate_id');
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/operator/v1/sellers/sel_nobody/stores',
      headers: as(operator),
      payload: { id: 'api-store-x', name: 'x' },
    });
    expect(unknown.json().error.code).toBe('seller_not_found');
  });

  it('lets the operator invite a seller and issue its key, each shown once', async () => {
    const invite = await app.inject({
      method: 'POST',
      url: `/api/operator/v1/sellers/${a.sellerId}/invite`,
      headers: as(operator),
      payload: {},
    });
    expect(invite.statusCode).toBe(201);
    expect(invite.json().url).toMatch(/^https:\/\/affnet\.example\/seller\/invite\/inv_/);
    const issued = await app.inject({
      method: 'POST',
      url: `/api/operator/v1/sellers/${a.sellerId}/api-keys`,
      headers: as(operator),
    });
    expect(issued.statusCode).toBe(201);
    keyA = issued.json().key;
    expect(keyA).toMatch(/^slk_/);
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/operator/v1/sellers/sel_nobody/api-keys',
      headers: as(operator),
    });
    expect(unknown.json().error.code).toBe('seller_not_found');
    // A seller key is not an operator token, nor the other way round.
    const wrong = await app.inject({
      method: 'POST',
      url: `/api/operator/v1/sellers/${a.sellerId}/api-keys`,
      headers: as(keyA),
    });
    expect(wrong.statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/api/seller/v1/stores', headers: as(operator) })).statusCode,
    ).toBe(401);
  });

  it('enrolls the store, sets rates, and shows its stores, products and plan', async () => {
    const enrolled = await app.inject({
      method: 'POST',
      url: '/api/seller/v1/enrollments',
      headers: as(keyA),
      payload: { storeId: a.storeId, scope: 'store', enrolled: true },
    });
    expect(enrolled.statusCode).toBe(201);
    const storeRate = await app.inject({
      method: 'POST',
      url: '/api/seller/v1/rates',
      headers: as(keyA),
      payload: { scope: 'store', storeId: a.storeId, rateBp: 500 },
    });
    expect(storeRate.statusCode).toBe(201);
    const later = new Date(t().clock.now().getTime() + 5 * DAY_MS).toISOString();
    const scheduled = await app.inject({
      method: 'POST',
      url: '/api/seller/v1/rates',
      headers: as(keyA),
      payload: { scope: 'product', targetId: a.productIds[0], rateBp: 1500, effectiveFrom: later },
    });
    expect(scheduled.statusCode).toBe(201);

    const stores = (await app.inject({ url: '/api/seller/v1/stores', headers: as(keyA) })).json();
    expect(stores.stores).toEqual([
      expect.objectContaining({ id: a.storeId, enrolled: true, since: expect.any(String) }),
    ]);
    expect(stores.rateMinBp).toBe(350);
    const page = (
      await app.inject({ url: '/api/seller/v1/products?limit=2', headers: as(keyA) })
    ).json();
    expect(page.products).toHaveLength(2);
    expect(page.products[0]).toMatchObject({
      productId: a.productIds[0],
      rateBp: 500,
      enrolled: true,
      scheduled: [{ scope: 'product', rateBp: 1500, effectiveFrom: later }],
    });
    const rest = (
      await app.inject({
        url: `/api/seller/v1/products?limit=2&after=${page.nextAfter}`,
        headers: as(keyA),
      })
    ).json();
    expect(rest.products.map((p: { productId: string }) => p.productId)).toEqual([a.productIds[2]]);
    expect(rest.nextAfter).toBeNull();
    const plan = (
      await app.inject({ url: `/api/seller/v1/plans?storeId=${a.storeId}`, headers: as(keyA) })
    ).json();
    expect(
      plan.rules.map((r: { rateBp: number; scheduled: boolean }) => [r.rateBp, r.scheduled]),
    ).toEqual([
      [1500, true],
      [500, false],
    ]);
    expect(plan.enrollments[0]).toMatchObject({ scope: 'store', enrolled: true, setBy: 'seller' });
  });

  it('refuses another seller’s store and product with 404, and rates out of bounds with 422', async () => {
    const refused = [
      await app.inject({ url: `/api/seller/v1/plans?storeId=${b.storeId}`, headers: as(keyA) }),
      await app.inject({ url: `/api/seller/v1/products?storeId=${b.storeId}`, headers: as(keyA) }),
      await app.inject({
        method: 'POST',
        url: '/api/seller/v1/rates',
        headers: as(keyA),
        payload: { scope: 'product', targetId: b.productIds[0], rateBp: 900 },
      }),
      await app.inject({
        method: 'POST',
        url: '/api/seller/v1/rates',
        headers: as(keyA),
        payload: { scope: 'store', storeId: a.storeId, rateBp: 9000 },
      }),
    ];
    expect(refused.map((r) => [r.statusCode, r.json().error.code])).toEqual([
      [404, 'store_not_found'],
      [404, 'store_not_found'],
      [404, 'product_not_found'],
      [422, 'rate_out_of_bounds'],
    ]);
  });

  it('previews and applies a rates file, and refuses a bad one with every bad row', async () => {
    const file = `product_id,rate_bp,effective_from\n${a.productIds[1]},700,\n${a.productIds[2]},900,\n`;
    const post = (body: string, dryRun: boolean) =>
      app.inject({
        method: 'POST',
        url: `/api/seller/v1/rates/import?dryRun=${dryRun}`,
        headers: { ...as(keyA), 'content-type': 'text/csv' },
        payload: body,
      });
    const preview = await post(file, true);
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ dryRun: true, applied: 0, totals: { rows: 2, new: 2 } });
    const applied = await post(file, false);
    expect(applied.json()).toMatchObject({ dryRun: false, applied: 2 });
    expect((await post(file, false)).json()).toMatchObject({
      applied: 0,
      totals: { unchanged: 2 },
    });

    const bad = await post(
      `product_id,rate_bp,effective_from\n${b.productIds[0]},700,\n${a.productIds[1]},1,\n`,
      false,
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('invalid_rates_file');
    expect(bad.json().error.details.map((d: { line: number }) => d.line)).toEqual([2, 3]);
    const json = await app.inject({
      method: 'POST',
      url: '/api/seller/v1/rates/import',
      headers: as(keyA),
      payload: { rows: [] },
    });
    expect(json.statusCode).toBe(415);
  });

  it('lists and revokes the seller’s own keys only; the API is in the OpenAPI document', async () => {
    const keys = (await app.inject({ url: '/api/seller/v1/api-keys', headers: as(keyA) })).json();
    expect(keys.apiKeys).toHaveLength(1);
    const other = await app.inject({
      method: 'POST',
      url: `/api/operator/v1/sellers/${b.sellerId}/api-keys`,
      headers: as(operator),
    });
    const keyB = other.json();
    const refused = await app.inject({
      method: 'DELETE',
      url: `/api/seller/v1/api-keys/${keyB.id}`,
      headers: as(keyA),
    });
    expect(refused.statusCode).toBe(404);
    const revoked = await app.inject({
      method: 'DELETE',
      url: `/api/seller/v1/api-keys/${keyB.id}`,
      headers: as(keyB.key),
    });
    expect(revoked.statusCode).toBe(204);
    expect(
      (await app.inject({ url: '/api/seller/v1/stores', headers: as(keyB.key) })).statusCode,
    ).toBe(401);

    const doc = (await app.inject('/openapi.json')).json();
    for (const path of ['/stores', '/products', '/plans', '/rates', '/rates/import', '/api-keys'])
      expect(JSON.stringify(doc.paths[`/api/seller/v1${path}`])).toContain('"seller"');
    expect(Object.keys(doc.paths['/api/seller/v1/rates/import'].post.requestBody.content)).toEqual([
      'text/csv',
    ]);
  });
});
