import { beforeAll, expect, it } from 'vitest';
import { type App, buildApp } from '../../server.js';
import { listStorefronts } from '../../storefront/find-storefront.js';
import { describeEachDatabase } from '../../test/context.js';
import { postGeneratedForms } from '../../test/form-fuzz.js';
import { seedStorefront, seedStoreWorld } from '../../test/storefronts.js';
import { BASE } from '../../test/tracking.js';
import { WebAgent } from '../../test/web-agent.js';

/** The error shown at a field of the form, if any. */
const fieldError = (body: string, name: string) =>
  new RegExp(`id="f-${name}-error">([^<]+)<`).exec(body)?.[1];

describeEachDatabase('the store builder in the portal', (t) => {
  let app: App;
  let agent: WebAgent;
  let world: Awaited<ReturnType<typeof seedStoreWorld>>;
  let other: Awaited<ReturnType<typeof seedStoreWorld>>;
  let storeId: string;
  const form = (overrides: Record<string, string | string[]> = {}) => ({
    name: 'Lamp corner',
    slug: 'lamp-corner',
    theme: 'classic',
    trackingId: 'shop',
    seoTitle: 'Lamps, hand-picked',
    seoDescription: 'Desk lamps and floor lamps with their prices.',
    categoryIds: [world.a.mid],
    keywords: '',
    productIds: world.products.chair.productId,
    ...overrides,
  });
  const stores = async () => JSON.stringify(await listStorefronts(t().db, world.affiliate.id));

  beforeAll(async () => {
    const ctx = t();
    world = await seedStoreWorld(ctx);
    other = await seedStoreWorld(ctx);
    app = await buildApp(ctx, { publicBaseUrl: BASE });
    agent = new WebAgent(app);
    await agent.get('/login');
    const res = await agent.post('/login', {
      email: world.affiliate.email,
      password: 'a long password',
    });
    expect(res.location).toBe('/dashboard');
  });

  it('builds a store through the form, and the store is live at /s/:slug', async () => {
    const list = await agent.get('/stores');
    expect(list.status).toBe(200);
    expect(list.body).toContain('No store yet');
    expect(list.body).toMatch(/<a href="\/stores" aria-current="page">Stores<\/a>/);
    const blank = await agent.get('/stores/new');
    expect(blank.body).toContain(`name="categoryIds" value="${world.a.mid}"`);
    expect(blank.body).toContain('<option value="shop">shop</option>');

    const made = await agent.post('/stores', form());
    expect(made.status).toBe(303);
    storeId = /^\/stores\/(sf_[0-9a-z]+)\?built=1$/.exec(made.location ?? '')?.[1] as string;
    expect(storeId).toBeDefined();
    const edit = await agent.get(made.location as string);
    expect(edit.body).toContain('Store built. It shows 4 products.');
    expect(edit.body).toContain(`name="categoryIds" value="${world.a.mid}" checked`);
    expect((await agent.get('/stores')).body).toContain(
      '<a href="/s/lamp-corner">/s/lamp-corner</a>',
    );

    const visitor = await app.inject({ method: 'GET', url: '/s/lamp-corner' });
    expect(visitor.statusCode).toBe(200);
    expect(visitor.body).toContain(world.products.chair.title);
    expect(visitor.body).not.toContain(world.products.sofa.title);
  });

  it('changes the store later: name, theme and what it shows', async () => {
    const saved = await agent.post(
      `/stores/${storeId}`,
      form({
        name: 'Sofa world',
        theme: 'midnight',
        categoryIds: [],
        keywords: 'sofa',
        productIds: '',
      }),
    );
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(`/stores/${storeId}?saved=1`);
    expect((await agent.get(saved.location as string)).body).toContain('It shows 2 products.'); // both catalogs' sofas
    const page = await app.inject({ method: 'GET', url: '/s/lamp-corner' });
    expect(page.body).toContain('<a class="store-name" href="/s/lamp-corner">Sofa world</a>');
    expect(page.body).toContain('/s/assets/store-midnight.css');
    expect(page.body).toContain(world.products.sofa.title);
    expect(page.body).not.toContain(world.products.chair.title);
  });

  it('refuses bad input at the field it is about, keeping what was typed, and changes nothing', async () => {
    const taken = await seedStorefront(t(), other.affiliate.id, { keywords: ['lamp'] });
    const before = await stores();
    const cases: [Record<string, string | string[]>, number, string, RegExp][] = [
      [{ slug: taken.slug }, 409, 'slug', /is taken/],
      [{ slug: 'Bad Slug!' }, 422, 'slug', /lower-case letters/],
      [{ slug: 'login' }, 422, 'slug', /reserved/],
      [{ categoryIds: [world.a.mid, 'no-such-category'] }, 404, 'categoryIds', /no-such-category/],
      [{ productIds: 'no-such-product' }, 404, 'productIds', /no-such-product/],
      [{ trackingId: 'nope' }, 404, 'trackingId', /nope/],
      [{ categoryIds: [], productIds: '' }, 422, 'categoryIds', /at least one category/],
      [{ seoTitle: 'x'.repeat(71) }, 422, 'seoTitle', /70 characters/],
    ];
    for (const [fields, status, field, message] of cases) {
      for (const url of ['/stores', `/stores/${storeId}`]) {
        const res = await agent.post(url, form({ name: 'Typed name', ...fields }));
        expect({ url, fields, status: res.status }).toEqual({ url, fields, status });
        expect({ url, fields, error: fieldError(res.body, field) }).toEqual({
          url,
          fields,
          error: expect.stringMatching(message),
        });
        expect(res.body).toContain('value="Typed name"');
      }
    }
    expect(await stores()).toBe(before);
  });

  it("answers 404 for another affiliate's store, on its form and its post", async () => {
    const theirs = await seedStorefront(t(), other.affiliate.id, { keywords: ['sofa'] });
    const before = JSON.stringify(await listStorefronts(t().db, other.affiliate.id));
    expect((await agent.get(`/stores/${theirs.id}`)).status).toBe(404);
    const res = await agent.post(`/stores/${theirs.id}`, form({ slug: 'stolen-store' }));
    expect(res.status).toBe(404);
    expect(res.body).not.toContain(theirs.name);
    expect(JSON.stringify(await listStorefronts(t().db, other.affiliate.id))).toBe(before);
    expect((await agent.get('/stores')).body).not.toContain(theirs.slug);
  });

  it('refuses a form without its CSRF token, and sends a visitor to log in', async () => {
    const before = await stores();
    const forged = await agent.post('/stores', { ...form({ slug: 'forged-store' }), _csrf: '' });
    expect(forged.status).toBe(403);
    const edited = await agent.post(`/stores/${storeId}`, {
      ...form({ name: 'Forged' }),
      _csrf: 'x',
    });
    expect(edited.status).toBe(403);
    expect(await stores()).toBe(before);
    const visitor = new WebAgent(app);
    for (const path of ['/stores', '/stores/new', `/stores/${storeId}`])
      expect((await visitor.get(path)).location).toBe(`/login?next=${encodeURIComponent(path)}`);
  });

  it('answers generated form input with a page or a redirect, never a 5xx', async () => {
    const fields = [...Object.keys(form()), 'categoryIds'];
    const statuses = await postGeneratedForms(
      agent,
      ['/stores', `/stores/${storeId}`],
      fields,
      [world.a.mid, world.products.chair.productId, 'shop', 'classic', 'midnight', 'lamp-shop'],
      150,
    );
    expect(statuses.has(422)).toBe(true);
  });
});
