import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { issueApiKey } from '../affiliates/api-keys.js';
import { createOperator } from '../auth/create-operator.js';
import { issueOperatorToken } from '../auth/operator-tokens.js';
import { type App, buildApp, routeTable } from '../server.js';
import { affiliateAgent } from '../test/console.js';
import { describeEachDatabase } from '../test/context.js';
import { seedLink, startTestServer } from '../test/tracking.js';
import { HSTS } from './transport-headers.js';

describeEachDatabase('transport headers', (t) => {
  it('sends HSTS on every kind of answer when served over https, and never over http', async () => {
    const secure = await buildApp(t(), { publicBaseUrl: 'https://affnet.example' });
    const plain = await buildApp(t(), { publicBaseUrl: 'http://localhost:3000' });
    for (const url of ['/healthz', '/', '/login', '/api/v1/orders', '/no-such-page']) {
      const overTls = await secure.inject({ method: 'GET', url });
      expect({ url, hsts: overTls.headers['strict-transport-security'] }).toEqual({
        url,
        hsts: HSTS,
      });
      expect(overTls.headers['x-content-type-options']).toBe('nosniff');
      const overHttp = await plain.inject({ method: 'GET', url });
      expect({ url, hsts: overHttp.headers['strict-transport-security'] }).toEqual({
        url,
        hsts: undefined,
      });
      expect(overHttp.headers['x-content-type-options']).toBe('nosniff');
    }
    const page = await secure.inject({ method: 'GET', url: '/login' });
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['referrer-policy']).toBe('same-origin');
  });

  it('sends HSTS and a Secure cookie on the redirect over https', async () => {
    const { link } = await seedLink(t());
    const server = await startTestServer(t(), undefined, true);
    try {
      const res = await fetch(`${server.url}/c/${link.code}`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('strict-transport-security')).toBe(HSTS);
      expect(res.headers.get('set-cookie')).toMatch(/; Secure$/);
    } finally {
      await server.close();
    }
  });
});

describeEachDatabase('link requests are rate-limited per affiliate', (t) => {
  let app: App;
  beforeAll(async () => {
    app = await buildApp(t());
  });

  it('answers 429 after 60 requests at once, REST and portal together, and makes nothing', async () => {
    const { affiliate, product } = await seedLink(t());
    const { key } = await issueApiKey(t(), affiliate.id);
    const make = (url: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/links',
        headers: { authorization: `Bearer ${key}` },
        payload: { urls: [url] },
      });
    for (let i = 0; i < 60; i += 1) expect((await make(product.url)).statusCode).toBe(200);
    const links = async () =>
      (
        await t()
          .db.selectFrom('links')
          .select('id')
          .where('affiliate_id', '=', affiliate.id)
          .execute()
      ).length;
    const before = await links();
    const refused = await make(`${product.url}?variant=2`);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ error: { code: 'too_many_requests' } });
    expect(await links()).toBe(before);
  });

  it("limits the portal's link builder too, with a page that says so", async () => {
    const agent = await affiliateAgent(app);
    await agent.get('/links');
    let last = 0;
    for (let i = 0; i < 61; i += 1) {
      last = (
        await agent.post('/links', { urls: 'not a url', trackingId: 'default', type: 'normal' })
      ).status;
      if (last === 429) break;
    }
    expect(last).toBe(429);
  });
});

describeEachDatabase('no way from affiliate to operator', (t) => {
  let app: App;
  let operatorToken: string;
  beforeAll(async () => {
    app = await buildApp(t());
    await createOperator(t(), { email: 'ops@affnet.example', password: 'operator passphrase' });
    operatorToken = (await issueOperatorToken(t(), 'ops@affnet.example')).token;
  });
  afterAll(() => undefined);

  it('keeps only a SHA-256 of API keys, operator tokens and sessions', async () => {
    const { affiliate } = await seedLink(t());
    const { key } = await issueApiKey(t(), affiliate.id);
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const keys = await t()
      .db.selectFrom('api_keys')
      .selectAll()
      .where('affiliate_id', '=', affiliate.id)
      .execute();
    expect(keys.map((k) => k.key_hash)).toEqual([sha(key)]);
    expect(JSON.stringify(keys)).not.toContain(key);
    const tokens = await t().db.selectFrom('operator_tokens').selectAll().execute();
    expect(tokens.map((r) => r.token_hash)).toContain(sha(operatorToken));
    expect(JSON.stringify(tokens)).not.toContain(operatorToken);
    const agent = await affiliateAgent(app);
    const session = agent.cookies.get('affnet_session') as string;
    const sessions = await t().db.selectFrom('web_sessions').select('id_hash').execute();
    expect(sessions.map((r) => r.id_hash)).toContain(sha(session));
    expect(JSON.stringify(sessions)).not.toContain(session);
  });

  it("refuses an affiliate's API key and session on every operator route, and an operator token on the affiliate API", async () => {
    const { affiliate } = await seedLink(t());
    const { key } = await issueApiKey(t(), affiliate.id);
    const agent = await affiliateAgent(app);
    const session = agent.cookies.get('affnet_session') as string;
    expect(session).toBeTruthy();
    const operatorRoutes = routeTable(app).filter((r) => r.url.startsWith('/api/operator/'));
    expect(operatorRoutes.length).toBeGreaterThan(5);
    for (const route of operatorRoutes) {
      const url = route.url.replace(/:[a-z_]+/g, 'x');
      for (const credential of [`Bearer ${key}`, `Bearer ${session}`, key]) {
        const res = await app.inject({
          method: route.method as 'GET',
          url,
          headers: { authorization: credential, cookie: `affnet_session=${session}` },
          ...(route.method === 'GET' || route.method === 'HEAD' ? {} : { payload: {} }),
        });
        expect({ route: `${route.method} ${url}`, status: res.statusCode }).toEqual({
          route: `${route.method} ${url}`,
          status: 401,
        });
      }
    }
    const asAffiliate = await app.inject({
      method: 'GET',
      url: '/api/v1/orders',
      headers: { authorization: `Bearer ${operatorToken}` },
    });
    expect(asAffiliate.statusCode).toBe(401);
    const console = await agent.get('/console/affiliates');
    expect(console.status).toBe(303);
    expect(console.location).toMatch(/^\/login/);
  });
});
