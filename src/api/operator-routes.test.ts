import { beforeAll, expect, it } from 'vitest';
import { createOperator } from '../auth/create-operator.js';
import { issueOperatorToken } from '../auth/operator-tokens.js';
import { type App, buildApp } from '../server.js';
import { describeEachDatabase } from '../test/context.js';
import { seedAffiliate, seedCategoryBranch, seedProduct, seedStore } from '../test/factories.js';

describeEachDatabase('the operator API', (t) => {
  let app: App;
  let token: string;
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    app.inject({
      method,
      url: `/api/operator/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });

  beforeAll(async () => {
    const ctx = t();
    app = await buildApp(ctx);
    await createOperator(ctx, { email: 'ops@example.com', password: 'a long password' });
    token = (await issueOperatorToken(ctx, 'ops@example.com')).token;
  });

  it('reads and changes settings, all valid or nothing', async () => {
    expect((await call('GET', '/settings')).json()).toMatchObject({ minWithdrawalMinor: 1600 });
    const changed = await call('PUT', '/settings', { values: { withdrawalFeeMinor: 900 } });
    expect(changed.json()).toMatchObject({ withdrawalFeeMinor: 900 });
    const refused = await call('PUT', '/settings', {
      values: { withdrawalFeeMinor: 100, nope: 1 },
    });
    expect(refused.statusCode).toBe(422);
    expect((await call('GET', '/settings')).json()).toMatchObject({ withdrawalFeeMinor: 900 });
  });

  it('lists affiliates by status and approves one', async () => {
    const ctx = t();
    const pending = await seedAffiliate(ctx);
    const listed = (await call('GET', '/affiliates?status=pending')).json();
    expect(listed.affiliates.map((a: { id: string }) => a.id)).toContain(pending.id);
    const approved = await call('POST', `/affiliates/${pending.id}/status`, { status: 'approved' });
    expect(approved.json()).toEqual({ id: pending.id, status: 'approved' });
    expect((await call('GET', `/affiliates/${pending.id}`)).json()).toMatchObject({
      status: 'approved',
    });
    expect((await call('GET', '/affiliates/aff_none')).statusCode).toBe(404);
    expect(
      (await call('POST', `/affiliates/${pending.id}/status`, { status: 'gone' })).statusCode,
    ).toBe(400);
  });

  it('sets a store’s rate and enrollment, explains a product’s rate, records an exchange rate', async () => {
    const ctx = t();
    const storeId = await seedStore(ctx);
    const branch = await seedCategoryBranch(ctx);
    const product = await seedProduct(ctx, storeId, branch.leaf);
    expect(
      (await call('POST', '/plans/enrollments', { storeId, scope: 'store', enrolled: true }))
        .statusCode,
    ).toBe(201);
    expect(
      (await call('POST', '/plans/rates', { scope: 'store', storeId, rateBp: 650 })).statusCode,
    ).toBe(201);
    expect(
      (await call('POST', '/plans/rates', { scope: 'store', storeId, rateBp: 9000 })).json(),
    ).toMatchObject({
      error: { code: 'rate_out_of_bounds' },
    });
    expect((await call('GET', `/plans/products/${product.productId}/rate`)).json()).toMatchObject({
      rateBp: 650,
    });
    expect((await call('POST', '/fx-rates', { currency: 'EUR', rate: '1.08' })).statusCode).toBe(
      201,
    );
    expect((await call('POST', '/fx-rates', { currency: 'XXQ', rate: '1' })).json()).toMatchObject({
      error: { code: 'unknown_currency' },
    });
  });

  it('refuses a missing or unknown token', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/operator/v1/settings' })).statusCode).toBe(
      401,
    );
    const res = await app.inject({
      method: 'GET',
      url: '/api/operator/v1/settings',
      headers: { authorization: 'Bearer aop_nope' },
    });
    expect(res.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });
});
