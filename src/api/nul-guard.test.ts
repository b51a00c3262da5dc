import { beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../affiliates/api-keys.js';
import { type App, buildApp } from '../server.js';
import { describeEachDatabase } from '../test/context.js';
import { seedAffiliate } from '../test/factories.js';
import { findNul } from './nul-guard.js';

describe('findNul', () => {
  it('names where the first NUL is, in values and keys, however deep', () => {
    expect(findNul({ a: ['x', { b: 'y\u0000' }] }, 'body')).toBe('body.a.1.b');
    expect(findNul({ 'k\u0000': 1 }, 'body')).toBe('body');
    expect(findNul('a\u0000', 'path')).toBe('path');
    expect(findNul({ a: ['x', 1, null, { b: 'y' }] }, 'body')).toBeUndefined();
    let deep: unknown = 'end\u0000';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(findNul(deep, 'body')).toMatch(/^body(\.0)+$/);
  });
});

// Found by the fuzz (src/api/fuzz.test.ts) on PostgreSQL, which refuses a NUL in text: a
// NUL in a path id, a query value or a body answered 500 on a dozen routes.
describeEachDatabase('a NUL character in a JSON API request', (t) => {
  let app: App;
  let auth: { authorization: string };

  beforeAll(async () => {
    app = await buildApp(t());
    const affiliate = await seedAffiliate(t(), { approve: true });
    auth = { authorization: `Bearer ${(await issueApiKey(t(), affiliate.id)).key}` };
  });

  it('is refused with a 400 naming where it is, in the path, the query or the body', async () => {
    const cases = [
      { method: 'GET', url: '/api/v1/withdrawals/a%00b', where: 'path.id' },
      { method: 'GET', url: '/api/v1/links?before=%00', where: 'querystring.before' },
      {
        method: 'PUT',
        url: '/api/v1/bank-account',
        payload: { iban: 'DE89370400440532013000', holderName: 'A\u0000B', country: 'DE' },
        where: 'body.holderName',
      },
    ] as const;
    for (const { where, ...request } of cases) {
      const res = await app.inject({ ...request, headers: auth });
      expect({ where, status: res.statusCode }).toEqual({ where, status: 400 });
      expect(res.json().error).toMatchObject({ code: 'invalid_request' });
      expect(res.json().error.message).toContain(where);
    }
  });
});
