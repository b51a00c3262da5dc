import { beforeAll, expect, it } from 'vitest';
import { createSeller } from '../../catalog/create-store.js';
import { inviteSeller } from '../../sellers/invite-seller.js';
import { issueSellerApiKey } from '../../sellers/seller-api-keys.js';
import { type App, buildApp, routeTable } from '../../server.js';
import { affiliateAgent, operatorAgent } from '../../test/console.js';
import { describeEachDatabase } from '../../test/context.js';
import { seedSellerWithLogin, sellerAgent } from '../../test/sellers.js';
import { WebAgent } from '../../test/web-agent.js';

/** The error shown at a field of the form, if any. */
const fieldError = (body: string, name: string) =>
  new RegExp(`id="f-${name}-error">([^<]+)<`).exec(body)?.[1];
const _formError = (body: string) => /class="form-error" role="alert">([^<]+)</.exec(body)?.[1];

const _day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describeEachDatabase('the seller center pages: who sees what', (t) => {
  let app: App;
  let a: Awaited<ReturnType<typeof seedSellerWithLogin>>;
  let b: Awaited<ReturnType<typeof seedSellerWithLogin>>;
  let agent: WebAgent;
  /** Every rule and enrollment, to show a refused form changed nothing. */
  const plans = async () =>
    JSON.stringify(
      [
        await t().db.selectFrom('commission_rules').selectAll().orderBy('id').execute(),
        await t().db.selectFrom('enrollments').selectAll().orderBy('id').execute(),
      ],
      (_key, value) => (typeof value === 'bigint' ? String(value) : value),
    );

  beforeAll(async () => {
    const ctx = t();
    app = await buildApp(ctx);
    a = await seedSellerWithLogin(ctx);
    b = await seedSellerWithLogin(ctx);
    agent = await sellerAgent(app, a.email);
  });

  it('sets a password from the invitation link, logs the seller in, and the link then is used up', async () => {
    const ctx = t();
    const seller = await createSeller(ctx, { name: 'Invited shop', email: 'invited@shop.example' });
    const invite = await inviteSeller(ctx, { sellerId: seller.id, baseUrl: 'http://localhost' });
    const visitor = new WebAgent(app);
    const form = await visitor.get(`/seller/invite/${invite.token}`);
    expect(form.status).toBe(200);
    expect(form.body).toContain('Invited shop');
    const differ = await visitor.post(`/seller/invite/${invite.token}`, {
      password: 'a long passphrase',
      confirm: 'another passphrase',
    });
    expect(differ.status).toBe(422);
    expect(fieldError(differ.body, 'confirm')).toMatch(/differ/);
    const short = await visitor.post(`/seller/invite/${invite.token}`, {
      password: 'short',
      confirm: 'short',
    });
    expect(short.status).toBe(422);
    expect(fieldError(short.body, 'password')).toMatch(/10 characters/);
    const set = await visitor.post(`/seller/invite/${invite.token}`, {
      password: 'a long passphrase',
      confirm: 'a long passphrase',
    });
    expect(set.location).toBe('/seller');
    expect((await visitor.get('/seller')).body).toContain('<h1>Invited shop</h1>');
    for (const token of [invite.token, 'inv_unknown']) {
      const gone = await new WebAgent(app).get(`/seller/invite/${token}`);
      expect(gone.status).toBe(404);
      expect(gone.body).toContain('ask the operator for a new one');
    }
  });

  it("shows the seller's own stores and products only", async () => {
    const overview = await agent.get('/seller');
    expect(overview.status).toBe(200);
    expect(overview.body).toContain(a.storeName);
    expect(overview.body).toContain('Out of the program');
    expect(overview.body).toMatch(/<a href="\/seller" aria-current="page">Overview<\/a>/);
    for (const path of ['/seller', '/seller/products', '/seller/rates', '/seller/api-keys']) {
      const res = await agent.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      for (const secret of [b.storeId, b.lamp.productId, b.lamp.title, b.sellerName])
        expect({ path, leaks: res.body.includes(secret) }).toEqual({ path, leaks: false });
    }
    const list = await agent.get('/seller/products');
    expect(list.body).toContain(a.lamp.title);
    expect(list.body).toContain(a.chair.title);
    const searched = await agent.get(`/seller/products?q=lamp&store=${a.storeId}`);
    expect(searched.body).toContain(a.lamp.title);
    expect(searched.body).not.toContain(a.chair.title);
    const paged = await agent.get(
      `/seller/products?after=${[a.lamp.productId, a.chair.productId].sort()[0]}`,
    );
    expect(paged.body.includes(a.lamp.title) !== paged.body.includes(a.chair.title)).toBe(true);
  });

  it("answers 404 for another seller's product or store, and changes nothing", async () => {
    const before = await plans();
    expect((await agent.get(`/seller/products/${b.lamp.productId}`)).status).toBe(404);
    for (const [url, fields] of [
      [`/seller/products/${b.lamp.productId}/rate`, { rate: '10' }],
      [`/seller/products/${b.lamp.productId}/hot-rate`, { hotRate: '20' }],
      [`/seller/products/${b.lamp.productId}/enrollment`, { enrolled: 'yes' }],
      [`/seller/stores/${b.storeId}/membership`, { enrolled: 'yes' }],
      [`/seller/stores/${b.storeId}/rate`, { rate: '10' }],
      [
        `/seller/stores/${b.storeId}/category-rate`,
        { categoryId: b.categories[0] as string, rate: '10' },
      ],
      [
        `/seller/stores/${b.storeId}/category-enrollment`,
        { categoryId: b.categories[0] as string, enrolled: 'yes' },
      ],
    ] as const) {
      const res = await agent.post(url, fields);
      expect({ url, status: res.status }).toEqual({ url, status: 404 });
      expect(res.body).not.toContain(b.lamp.title);
    }
    expect(await plans()).toBe(before);
  });

  it("walks every /seller route of the route table with the other seller's ids: 404 or nothing of theirs, nothing changed", async () => {
    const theirKey = await issueSellerApiKey(t(), b.sellerId);
    const ids: Record<string, string> = {
      productId: b.lamp.productId,
      storeId: b.storeId,
      id: theirKey.id,
    };
    const routes = routeTable(app).filter(
      (r) =>
        r.url.startsWith('/seller') && !r.url.startsWith('/seller/invite') && r.method !== 'HEAD',
    );
    expect(routes.length).toBeGreaterThan(10);
    const before = await plans();
    const keys = async () =>
      JSON.stringify(
        await t()
          .db.selectFrom('seller_api_keys')
          .select(['id', 'revoked_at'])
          .where('seller_id', '=', b.sellerId)
          .execute(),
      );
    const theirKeys = await keys();
    for (const route of routes) {
      const url = route.url.replace(/:(\w+)/g, (_m, name: string) => ids[name] ?? 'x');
      const named = url !== route.url;
      const res =
        route.method === 'GET'
          ? await agent.get(url)
          : await agent.post(url, {
              rate: '10',
              hotRate: '20',
              enrolled: 'yes',
              categoryId: b.categories[0] as string,
            });
      const label = `${route.method} ${route.url}`;
      if (named) expect({ label, status: res.status }).toEqual({ label, status: 404 });
      else expect({ label, status: res.status < 500 }).toEqual({ label, status: true });
      // A 404 may name the id it was asked about, never what is behind it.
      const secrets = named
        ? [b.lamp.title, b.storeName, b.sellerName]
        : [b.lamp.productId, b.lamp.title, b.storeId, b.sellerName, theirKey.id];
      for (const secret of secrets)
        expect({ label, secret, leaks: res.body.includes(secret) }).toEqual({
          label,
          secret,
          leaks: false,
        });
    }
    expect(await plans()).toBe(before);
    expect(await keys()).toBe(theirKeys);
  });

  it('issues an API key once, lists it and revokes it', async () => {
    const issued = await agent.post('/seller/api-keys', {});
    expect(issued.status).toBe(201);
    const key = /<code class="secret">(slk_[A-Za-z0-9_-]+)<\/code>/.exec(issued.body)?.[1];
    expect(key).toBeDefined();
    const list = await agent.get('/seller/api-keys');
    expect(list.body).not.toContain(key as string);
    const id = /action="\/seller\/api-keys\/(skey_[^/]+)\/revoke"/.exec(list.body)?.[1] as string;
    const other = await sellerAgent(app, b.email);
    await other.get('/seller/api-keys');
    expect((await other.post(`/seller/api-keys/${id}/revoke`, {})).status).toBe(404);
    expect((await agent.post(`/seller/api-keys/${id}/revoke`, {})).location).toBe(
      '/seller/api-keys?done=revoked',
    );
  });

  it('requires the CSRF token and a seller session; a seller cannot open the portal or the console', async () => {
    const before = await plans();
    const forged = await agent.post(`/seller/products/${a.lamp.productId}/rate`, {
      rate: '10',
      _csrf: 'x',
    });
    expect(forged.status).toBe(403);
    expect(await plans()).toBe(before);
    const paths = [
      '/seller',
      '/seller/products',
      '/seller/rates',
      '/seller/import',
      '/seller/api-keys',
    ];
    for (const other of [
      new WebAgent(app),
      await affiliateAgent(app),
      await operatorAgent(app, t()),
    ])
      for (const path of paths)
        expect((await other.get(path)).location).toBe(`/login?next=${encodeURIComponent(path)}`);
    for (const path of ['/dashboard', '/console'])
      expect((await agent.get(path)).location).toBe(`/login?next=${encodeURIComponent(path)}`);
  });
});
