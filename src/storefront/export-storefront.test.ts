import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../test/context.js';
import { htmlProblems } from '../test/html-validate.js';
import { seedStorefront, seedStoreWorld } from '../test/storefronts.js';
import { BASE } from '../test/tracking.js';
import { EXPORT_MARKER, exportStorefront } from './export-storefront.js';
import type { Storefront } from './schema.js';

/** Every file under a folder, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

describeEachDatabase('a static copy of a store', (t) => {
  let world: Awaited<ReturnType<typeof seedStoreWorld>>;
  let store: Storefront;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-store-export-'));
  let n = 0;
  const fresh = () => path.join(scratch, `copy-${++n}`);

  beforeAll(async () => {
    world = await seedStoreWorld(t());
    store = await seedStorefront(t(), world.affiliate.id, {
      categoryIds: [world.a.mid],
      productIds: [world.products.chair.productId],
      theme: 'market',
    });
  });
  afterAll(() => {
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('writes pages that pass html-validate and link each other by relative paths', async () => {
    const out = fresh();
    const result = await exportStorefront(t(), store.slug, out, { baseUrl: BASE });
    expect(result).toMatchObject({ products: 4, categories: 5, sitemap: 'relative' });
    const files = filesUnder(out);
    expect(files.length).toBe(result.files);
    for (const expected of [
      'index.html',
      'search.html',
      'products.js',
      'sitemap.xml',
      'robots.txt',
      'assets/store.css',
      'assets/store-market.css',
      'assets/store-search.js',
      EXPORT_MARKER,
    ])
      expect(files).toContain(expected);
    expect(files.filter((f) => f.startsWith('product/'))).toHaveLength(4);
    expect(files.filter((f) => f.startsWith('category/'))).toHaveLength(5);

    for (const file of files.filter((f) => f.endsWith('.html'))) {
      const body = fs.readFileSync(path.join(out, file), 'utf8');
      expect({ file, problems: await htmlProblems(body) }).toEqual({ file, problems: [] });
      expect(body).not.toContain('/s/');
      for (const [, ref] of body.matchAll(/(?:href|src)="([^"]+)"/g)) {
        const target = ref as string;
        if (/^https?:|^data:|^#/.test(target)) continue;
        const resolved = path.join(
          path.dirname(path.join(out, file)),
          target.split('?')[0] as string,
        );
        expect({ file, target, exists: fs.existsSync(resolved) }).toEqual({
          file,
          target,
          exists: true,
        });
      }
      for (const [, buy] of body.matchAll(/<a class="buy" href="([^"]+)"/g))
        expect(buy).toMatch(new RegExp(`^${BASE}/c/[A-Za-z0-9]+$`));
    }
    const product = fs.readFileSync(
      path.join(out, `product/${world.products.leafLamp.productId}.html`),
      'utf8',
    );
    expect(product).toContain(`src="${world.products.leafLamp.imageUrls[0]}"`);
    expect(product).not.toContain('rel="canonical"');
    expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).not.toContain(
      world.products.sofa.title,
    );

    // The search page's index: every product, its page, price and tracked link.
    const sandbox: { affnetStoreIndex?: { products: { title: string; buy: string }[] } } = {};
    vm.runInNewContext(fs.readFileSync(path.join(out, 'products.js'), 'utf8'), {
      globalThis: sandbox,
    });
    expect(sandbox.affnetStoreIndex?.products.map((p) => p.title).sort()).toEqual(
      [world.products.leafLamp, world.products.midLamp, world.products.clock, world.products.chair]
        .map((p) => p.title)
        .sort(),
    );
    const sitemap = fs.readFileSync(path.join(out, 'sitemap.xml'), 'utf8');
    expect(sitemap).toContain('<loc>index.html</loc>');
    expect(sitemap).toContain(`<loc>product/${world.products.clock.productId}.html</loc>`);
    expect(sitemap).not.toContain('search.html');
  });

  it('writes canonical links and an absolute sitemap for the site it will be served from', async () => {
    const out = fresh();
    const site = 'https://lamps.example/shop';
    const result = await exportStorefront(t(), store.slug, out, {
      baseUrl: BASE,
      siteUrl: `${site}/`,
    });
    expect(result.sitemap).toBe('absolute');
    const sitemap = fs.readFileSync(path.join(out, 'sitemap.xml'), 'utf8');
    expect(sitemap).toContain(`<loc>${site}/</loc>`);
    expect(sitemap).toContain(`<loc>${site}/category/${world.a.mid}.html</loc>`);
    expect(fs.readFileSync(path.join(out, 'robots.txt'), 'utf8')).toContain(
      `Sitemap: ${site}/sitemap.xml`,
    );
    const product = fs.readFileSync(
      path.join(out, `product/${world.products.clock.productId}.html`),
      'utf8',
    );
    expect(product).toContain(
      `<link rel="canonical" href="${site}/product/${world.products.clock.productId}.html">`,
    );
    expect(product).toContain('href="../index.html"');
  });

  it('replaces an earlier copy, and refuses a folder that is not one, leaving it alone', async () => {
    const out = fresh();
    await exportStorefront(t(), store.slug, out, { baseUrl: BASE });
    fs.writeFileSync(path.join(out, 'stale.html'), 'old');
    await exportStorefront(t(), store.slug, out, { baseUrl: BASE });
    expect(fs.existsSync(path.join(out, 'stale.html'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'index.html'))).toBe(true);

    const foreign = fresh();
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, 'notes.txt'), 'mine');
    await expect(
      exportStorefront(t(), store.slug, foreign, { baseUrl: BASE }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/not empty/),
    });
    expect(fs.readdirSync(foreign)).toEqual(['notes.txt']);
    expect(fs.readdirSync(scratch).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('fails with a clear error and writes nothing for an unknown slug or an unwritable place', async () => {
    const out = fresh();
    await expect(
      exportStorefront(t(), 'no-such-store', out, { baseUrl: BASE }),
    ).rejects.toMatchObject({ code: 'storefront_not_found' });
    expect(fs.existsSync(out)).toBe(false);

    const file = path.join(scratch, 'a-file');
    fs.writeFileSync(file, 'not a folder');
    await expect(
      exportStorefront(t(), store.slug, path.join(file, 'copy'), { baseUrl: BASE }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/cannot write the copy/),
    });
    await expect(exportStorefront(t(), store.slug, file, { baseUrl: BASE })).rejects.toMatchObject({
      message: expect.stringMatching(/not a folder/),
    });
    expect(fs.readFileSync(file, 'utf8')).toBe('not a folder');
    expect(fs.readdirSync(scratch).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});
