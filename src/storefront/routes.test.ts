import { afterAll, beforeAll, expect, it } from 'vitest';
import { setAffiliateStatus } from '../affiliates/set-affiliate-status.js';
import { type App, buildApp } from '../server.js';
import { describeEachDatabase } from '../test/context.js';
import { htmlProblems } from '../test/html-validate.js';
import { seedStorefront, seedStoreWorld } from '../test/storefronts.js';
import { BASE, startTestServer } from '../test/tracking.js';
import type { Storefront } from './schema.js';

const browser =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** The buy links of a page (the tracked links) and its links to the store's product pages. */
function linksOf(body: string) {
  return {
    buy: [...body.matchAll(/<a class="buy" href="([^"]+)"/g)].map((m) => m[1] as string),
    products: [...body.matchAll(/href="(\/s\/[^"]+\/product\/[^"]+)"/g)].map((m) => m[1]),
  };
}

describeEachDatabase('the public store at /s/:slug', (t) => {
  let app: App;
  let world: Awaited<ReturnType<typeof seedStoreWorld>>;
  let store: Storefront;
  const get = (url: string) => app.inject({ method: 'GET', url });
  const enc = encodeURIComponent;

  beforeAll(async () => {
    const ctx = t();
    world = await seedStoreWorld(ctx);
    store = await seedStorefront(ctx, world.affiliate.id, {
      categoryIds: [world.a.mid],
      productIds: [world.products.chair.productId],
    });
    app = await buildApp(ctx, { publicBaseUrl: BASE });
  });
  afterAll(async () => {
    await app.close();
  });

  it('serves every kind of page as valid HTML with a title, a description, a canonical link and a viewport', async () => {
    const s = `/s/${store.slug}`;
    const pages = {
      home: s,
      category: `${s}/category/${enc(world.a.mid)}`,
      subcategory: `${s}/category/${enc(world.a.leaf)}`,
      search: `${s}/search?q=lamp`,
      all: `${s}/search`,
      product: `${s}/product/${enc(world.products.leafLamp.productId)}`,
    };
    for (const [kind, url] of Object.entries(pages)) {
      const res = await get(url);
      expect({ kind, status: res.statusCode }).toEqual({ kind, status: 200 });
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['set-cookie']).toBeUndefined();
      expect({ kind, problems: await htmlProblems(res.body) }).toEqual({ kind, problems: [] });
      expect(res.body).toMatch(/<title>[^<]+<\/title>/);
      expect(res.body).toMatch(/<meta name="description" content="[^"]{20,160}">/);
      expect(res.body).toContain('<meta name="viewport" content="width=device-width');
      const canonical = /<link rel="canonical" href="([^"]+)">/.exec(res.body)?.[1];
      expect(canonical).toBe(`${BASE}${url.replace('?q=lamp', '?q=lamp')}`);
      expect(res.body).not.toMatch(/<script|style="/);
    }
    expect((await get(pages.search)).body).toContain('<meta name="robots" content="noindex');
    expect((await get(pages.home)).body).toContain('<title>Lamps and clocks, hand-picked</title>');
  });

  it('shows only the products the store chose', async () => {
    const { products: p } = world;
    const home = (await get(`/s/${store.slug}`)).body;
    for (const shown of [p.leafLamp, p.midLamp, p.clock, p.chair])
      expect(home).toContain(shown.title);
    expect(home).not.toContain(p.sofa.title);
    // The chair was listed by id: its branch is a category of the store, with only the chair.
    const branch = (await get(`/s/${store.slug}/category/${enc(world.b.leaf)}`)).body;
    expect(branch).toContain(p.chair.title);
    expect(branch).not.toContain(p.sofa.title);
    expect((await get(`/s/${store.slug}/search?q=sofa`)).body).toContain('0 products');
    for (const missing of [
      `/s/${store.slug}/product/${enc(p.sofa.productId)}`,
      `/s/${store.slug}/product/no-such-product`,
      `/s/${store.slug}/category/${enc(world.a.top)}`,
      `/s/${store.slug}/category/no-such-category`,
      '/s/no-such-store',
      '/s/assets',
    ]) {
      const res = await get(missing);
      expect({ missing, status: res.statusCode }).toEqual({ missing, status: 404 });
      expect(await htmlProblems(res.body)).toEqual([]);
    }
  });

  it("links every product through the store's tracking id; following a link records its click", async () => {
    const ctx = t();
    const home = linksOf((await get(`/s/${store.slug}`)).body);
    expect(home.buy).toHaveLength(4);
    const codes = home.buy.map((href) => {
      expect(href).toMatch(new RegExp(`^${BASE}/c/[A-Za-z0-9]+$`));
      return href.slice(`${BASE}/c/`.length);
    });
    const links = await ctx.db
      .selectFrom('links')
      .select(['code', 'tracking_id', 'affiliate_id', 'url'])
      .where('code', 'in', codes)
      .execute();
    expect(links).toHaveLength(4);
    for (const link of links) {
      expect(link.tracking_id).toBe(store.trackingRowId);
      expect(link.affiliate_id).toBe(world.affiliate.id);
    }
    // The same product has the same link on every page of the store.
    const product = linksOf(
      (await get(`/s/${store.slug}/product/${enc(world.products.leafLamp.productId)}`)).body,
    );
    expect(product.buy[0]).toBe(home.buy[0]);

    const server = await startTestServer(ctx);
    try {
      const res = await fetch(`${server.url}/c/${codes[0]}`, {
        redirect: 'manual',
        headers: { 'user-agent': browser },
      });
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location') as string);
      expect(`${location.origin}${location.pathname}`).toBe(world.products.leafLamp.url);
      const clickId = location.searchParams.get('aff_click_id') as string;
      await server.tracking.recorder.flush();
      const click = await ctx.db
        .selectFrom('clicks')
        .select(['tracking_id', 'affiliate_id'])
        .where('id', '=', clickId)
        .executeTakeFirstOrThrow();
      expect(click).toEqual({ tracking_id: store.trackingRowId, affiliate_id: world.affiliate.id });
    } finally {
      await server.close();
    }
  });

  it('lists its pages in a sitemap that robots.txt names', async () => {
    const res = await get(`/s/${store.slug}/sitemap.xml`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    const locations = [...res.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    const s = `${BASE}/s/${store.slug}`;
    expect(locations).toEqual(
      expect.arrayContaining([
        s,
        `${s}/category/${enc(world.a.mid)}`,
        `${s}/category/${enc(world.a.leaf)}`,
        `${s}/category/${enc(world.b.top)}`,
        `${s}/product/${enc(world.products.chair.productId)}`,
        `${s}/product/${enc(world.products.clock.productId)}`,
      ]),
    );
    // home, all products, 4 categories (a.mid, a.leaf, b.top, b.mid, b.leaf: 5), 4 products
    expect(locations).toHaveLength(2 + 5 + 4);
    expect(locations.some((l) => l?.includes(enc(world.products.sofa.productId)))).toBe(false);
    const robots = await get(`/s/${store.slug}/robots.txt`);
    expect(robots.body).toContain(`Sitemap: ${s}/sitemap.xml`);
  });

  it('serves the layout and theme stylesheets', async () => {
    for (const name of [
      'store.css',
      'store-classic.css',
      'store-midnight.css',
      'store-market.css',
    ]) {
      const res = await get(`/s/assets/${name}`);
      expect({ name, status: res.statusCode }).toEqual({ name, status: 200 });
      expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
    }
    expect((await get('/s/assets/portal.css')).statusCode).toBe(404);
  });

  it("answers 404 for every page of a suspended affiliate's store", async () => {
    const ctx = t();
    const other = await seedStoreWorld(ctx);
    const closed = await seedStorefront(ctx, other.affiliate.id, { keywords: ['lamp'] });
    expect((await get(`/s/${closed.slug}`)).statusCode).toBe(200);
    await setAffiliateStatus(ctx, other.affiliate.id, 'suspended', 'test');
    for (const path of ['', '/search?q=lamp', '/sitemap.xml', '/robots.txt'])
      expect((await get(`/s/${closed.slug}${path}`)).statusCode).toBe(404);
  });
});
