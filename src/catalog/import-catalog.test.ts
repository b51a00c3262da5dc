import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../test/context.js';
import { allowTestDomain, seedCategoryBranch, seedStore, TEST_DOMAIN } from '../test/factories.js';
import { importCatalog } from './import-catalog.js';
import { findProduct } from './queries.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-import-'));
function file(name: string, text: string): string {
  const full = path.join(dir, name);
  fs.writeFileSync(full, text);
  return full;
}

describeEachDatabase('catalog import', (t) => {
  it('imports CSV rows, reports bad ones by line, and keeps the good ones', async () => {
    const ctx = t();
    await allowTestDomain(ctx);
    const storeId = await seedStore(ctx);
    const { leaf } = await seedCategoryBranch(ctx);
    const header =
      'product_id,title,price_minor,currency,url,store_id,category_id,image_urls,sales_volume,positive_feedback_bp,ship_from,shipping_methods';
    const u = `https://${TEST_DOMAIN}/item`;
    const csv = [
      header,
      `csv-1,"Phone case, clear",1999,USD,${u}/1.html,${storeId},${leaf},https://${TEST_DOMAIN}/a.jpg|https://${TEST_DOMAIN}/b.jpg,120,9750,cn,DHL|CHINA_POST`,
      `csv-2,Cable,-5,USD,${u}/2.html,${storeId},${leaf},,,,,`, // line 3: negative price
      `csv-3,Cable,500,XYZ,${u}/3.html,${storeId},${leaf},,,,,`, // line 4: unknown currency
      `csv-4,Cable,500,USD,https://evil.example/4.html,${storeId},${leaf},,,,,`, // line 5: foreign domain
      `csv-5,Cable,500,USD,${u}/5.html,no-store,${leaf},,,,,`, // line 6: unknown store
      `csv-6,Cable,500,USD,${u}/6.html,${storeId},no-category,,,,,`, // line 7: unknown category
      `csv-7,,500,USD,${u}/7.html,${storeId},${leaf},,,,,`, // line 8: empty title
      `csv-8,Cable,500,JPY,${u}/8.html,${storeId},${leaf},,,,,`,
    ].join('\n');
    const report = await importCatalog(ctx, file('a.csv', csv));
    expect(report).toMatchObject({ read: 8, created: 2, updated: 0, rejected: 6 });
    expect(report.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(report.errors[0]?.reason).toMatch(/price_minor/);
    expect(report.errors[1]?.reason).toMatch(/currency/);
    expect(report.errors[2]?.reason).toMatch(/not a marketplace domain/);
    expect(report.errors[3]?.reason).toMatch(/unknown store no-store/);
    expect(report.errors[4]?.reason).toMatch(/unknown category no-category/);
    expect(report.errors[5]?.reason).toMatch(/title/);

    const product = await findProduct(ctx.db, 'csv-1');
    expect(product).toMatchObject({
      title: 'Phone case, clear',
      priceMinor: 1999n,
      currency: 'USD',
      salesVolume: 120n,
      positiveFeedbackBp: 9750,
      shipFrom: 'CN',
      shippingMethods: ['DHL', 'CHINA_POST'],
    });
    expect(product?.imageUrls).toHaveLength(2);
    expect(await findProduct(ctx.db, 'csv-2')).toBeUndefined();
  });

  it('updates known products on re-import and creates stores and category paths on the way', async () => {
    const ctx = t();
    await allowTestDomain(ctx);
    const u = `https://${TEST_DOMAIN}/item`;
    const lines = [
      JSON.stringify({
        product_id: 'jl-1',
        title: 'Lamp',
        price_minor: 2500,
        currency: 'EUR',
        url: `${u}/jl-1.html`,
        store_id: 'new-store',
        store_name: 'New Store',
        category_path: 'Home > Lighting > Lamps',
        image_urls: [],
      }),
      '{ not json',
      '[1,2]',
      JSON.stringify({
        product_id: 'jl-2',
        title: 'Shade',
        price_minor: '900',
        currency: 'EUR',
        url: `${u}/jl-2.html`,
        store_id: 'new-store',
        category_path: 'Home > Lighting',
      }),
    ];
    const first = await importCatalog(ctx, file('b.jsonl', `${lines.join('\n')}\n`));
    expect(first).toMatchObject({ read: 4, created: 2, rejected: 2 });
    expect(first.errors).toEqual([
      { line: 2, reason: 'not valid JSON' },
      { line: 3, reason: 'not a JSON object' },
    ]);
    const lamp = await findProduct(ctx.db, 'jl-1');
    const shade = await findProduct(ctx.db, 'jl-2');
    expect(lamp?.categoryId).toBe('home/lighting/lamps');
    expect(shade?.categoryId).toBe('home/lighting');

    const again = JSON.stringify({
      product_id: 'jl-1',
      title: 'Lamp v2',
      price_minor: 2700,
      currency: 'EUR',
      url: `${u}/jl-1.html`,
      store_id: 'new-store',
      category_path: 'Home > Lighting > Lamps',
    });
    const second = await importCatalog(ctx, file('c.jsonl', `${again}\n${again}\n`));
    expect(second).toMatchObject({ read: 2, created: 0, updated: 1, rejected: 0 });
    expect(await findProduct(ctx.db, 'jl-1')).toMatchObject({
      title: 'Lamp v2',
      priceMinor: 2700n,
    });
  });

  it('counts lines across quoted line breaks and reports a stray quote at its line', async () => {
    const ctx = t();
    await allowTestDomain(ctx);
    const storeId = await seedStore(ctx);
    const { leaf } = await seedCategoryBranch(ctx);
    const u = `https://${TEST_DOMAIN}/q`;
    const csv = [
      'product_id,title,price_minor,currency,url,store_id,category_id',
      `q-1,"Two-line\ntitle",100,USD,${u}1,${storeId},${leaf}`, // lines 2–3
      `q-2,Ok,abc,USD,${u}2,${storeId},${leaf}`, // line 4: bad price
      '',
      `q-3,"broken,100,USD,${u}3,${storeId},${leaf}`, // line 6: the quote swallows the rest
      `q-4,Ok,100,USD,${u}4,${storeId},${leaf}`,
    ].join('\n');
    const report = await importCatalog(ctx, file('d.csv', csv));
    expect(report.created).toBe(1);
    expect(report.errors.map((e) => e.line)).toEqual([4, 6]);
    expect(report.errors[1]?.reason).toMatch(/cells where the header has 7/);
  });
});
