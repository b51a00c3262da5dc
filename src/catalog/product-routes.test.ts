import { beforeAll, expect, it } from 'vitest';
import { issueApiKey } from '../affiliates/api-keys.js';
import { type App, buildApp } from '../server.js';
import { describeEachDatabase } from '../test/context.js';
import { seedAffiliate } from '../test/factories.js';

// Found by the fuzz (src/api/fuzz.test.ts): a price filter past 64 bits reached the
// database, which could not bind it, and the search answered 500.
describeEachDatabase('GET /api/v1/products price filters', (t) => {
  let app: App;
  let key: string;

  beforeAll(async () => {
    app = await buildApp(t());
    key = (await issueApiKey(t(), (await seedAffiliate(t(), { approve: true })).id)).key;
  });

  it('refuses a price past the 64-bit integers with a 400 naming the field', async () => {
    for (const query of ['max_price=18446744073709551616', 'min_price=9223372036854775808']) {
      const res = await app.inject({
        url: `/api/v1/products?${query}`,
        headers: { authorization: `Bearer ${key}` },
      });
      expect({ query, status: res.statusCode }).toEqual({ query, status: 400 });
      expect(res.json().error.message).toMatch(/_price/);
    }
  });

  it('still takes the largest 64-bit price', async () => {
    const res = await app.inject({
      url: '/api/v1/products?max_price=9223372036854775807',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.statusCode).toBe(200);
  });
});
