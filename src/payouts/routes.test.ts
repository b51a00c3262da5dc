import { beforeAll, expect, it } from 'vitest';
import { issueApiKey } from '../affiliates/api-keys.js';
import { type App, buildApp } from '../server.js';
import { describeEachDatabase } from '../test/context.js';
import { seedPayee } from '../test/payouts.js';

describeEachDatabase('the payouts REST API', (t) => {
  let app: App;
  beforeAll(async () => {
    app = await buildApp(t());
  });
  const call = (
    key: string,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    body?: unknown,
    headers = {},
  ) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}`, ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    });

  it('quotes, withdraws once per idempotency key, and shows the balance and the withdrawal', async () => {
    const ctx = t();
    const payee = await seedPayee(ctx, { earnedMinor: 5000n });
    const { key } = await issueApiKey(ctx, payee.id);
    const quote = await call(key, 'POST', '/api/v1/withdrawals/quote', { amount: 3000 });
    expect(quote.statusCode).toBe(200);
    expect(quote.json()).toMatchObject({ amount: 3000, fee: 1500, net: 1500, rail: 'wire' });
    const made = await call(
      key,
      'POST',
      '/api/v1/withdrawals',
      { amount: 3000 },
      {
        'idempotency-key': 'a',
      },
    );
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({ state: 'Processing', amount: 3000, fee: 1500, net: 1500 });
    const again = await call(
      key,
      'POST',
      '/api/v1/withdrawals',
      { amount: 3000 },
      {
        'idempotency-key': 'a',
      },
    );
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(made.json().id);
    const conflict = await call(
      key,
      'POST',
      '/api/v1/withdrawals',
      { amount: 2000 },
      {
        'idempotency-key': 'a',
      },
    );
    expect(conflict.statusCode).toBe(409);
    expect((await call(key, 'GET', '/api/v1/balance')).json()).toMatchObject({
      available: 2000,
      in_transit: 3000,
    });
    const list = (await call(key, 'GET', '/api/v1/withdrawals')).json();
    expect(list.withdrawals).toHaveLength(1);
    const one = await call(key, 'GET', `/api/v1/withdrawals/${made.json().id}`);
    expect(one.json()).toEqual(made.json());
    const statement = (await call(key, 'GET', '/api/v1/statement?limit=10')).json();
    expect(statement.entries.map((e: { code: string }) => e.code)).toEqual([
      'test_earning',
      'withdrawal',
      'withdrawal_fee',
    ]);
  });

  it('another affiliate’s key sees none of it, a read-only key cannot withdraw, bad input is a 4xx', async () => {
    const ctx = t();
    const a = await seedPayee(ctx, { earnedMinor: 5000n });
    const b = await seedPayee(ctx, { earnedMinor: 5000n });
    const keyA = (await issueApiKey(ctx, a.id)).key;
    const keyB = (await issueApiKey(ctx, b.id)).key;
    const readOnly = (await issueApiKey(ctx, a.id, ['payouts:read'])).key;
    const made = (await call(keyA, 'POST', '/api/v1/withdrawals', { amount: 2000 })).json();
    expect((await call(keyB, 'GET', `/api/v1/withdrawals/${made.id}`)).statusCode).toBe(404);
    expect((await call(keyB, 'GET', '/api/v1/withdrawals')).json().withdrawals).toEqual([]);
    expect((await call(readOnly, 'POST', '/api/v1/withdrawals', { amount: 2000 })).statusCode).toBe(
      403,
    );
    expect((await call('afk_nope', 'GET', '/api/v1/balance')).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/balance' })).statusCode).toBe(401);
    for (const body of [
      { amount: -1 },
      { amount: 'ten' },
      { amount: 1.5 },
      {},
      { amount: 1, x: 1 },
    ])
      expect((await call(keyA, 'POST', '/api/v1/withdrawals', body)).statusCode).toBe(400);
    expect((await call(keyA, 'POST', '/api/v1/withdrawals', { amount: 100 })).json()).toMatchObject(
      {
        error: { code: 'amount_below_minimum' },
      },
    );
    expect((await call(keyA, 'GET', '/api/v1/statement?limit=100000')).statusCode).toBe(400);
    const bad = await call(keyA, 'PUT', '/api/v1/bank-account', {
      iban: 'DE00 0000',
      holderName: 'A B',
      country: 'DE',
    });
    expect(bad.json()).toMatchObject({ error: { code: 'invalid_iban' } });
    const changed = await call(keyA, 'PUT', '/api/v1/bank-account', {
      iban: 'FR1420041010050500013M02606',
      holderName: 'A B',
      country: 'FR',
    });
    expect(changed.json()).toMatchObject({ status: 'active', account: 'FR14 **** 2606' });
    expect((await call(keyB, 'GET', '/api/v1/bank-account')).json()).toMatchObject({
      account: 'DE89 **** 3000',
    });
  });
});
