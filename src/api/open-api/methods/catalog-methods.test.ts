import { describe, expect, it } from 'vitest';
import { setFxRate } from '../../../fx/set-fx-rate.js';
import { describeEachDatabase } from '../../../test/context.js';
import { seedProduct } from '../../../test/factories.js';
import {
  methodCall,
  methodPage,
  type Row,
  seedProductWorld,
  titles,
} from '../../../test/open-api-world.js';
import { categoryGet } from './category-get.js';
import { featuredPromoGet, featuredPromoProductsGet } from './featured-promo.js';
import { productDetailGet } from './product-detail.js';
import { productQuery } from './product-query.js';
import { idValue, percent } from './product-row.js';

describe('product row formats', () => {
  it('writes safe decimal ids as numbers and every other id as text', () => {
    expect(idValue('1005001234567890')).toBe(1005001234567890);
    expect(idValue('0')).toBe(0);
    expect(idValue('10050012345678901234')).toBe('10050012345678901234');
    expect(idValue('007')).toBe('007');
    expect(idValue('p-12')).toBe('p-12');
  });

  it('writes rates with one decimal, two only when needed', () => {
    expect([percent(700), percent(9650), percent(725), percent(5), percent(0)]).toEqual([
      '7.0%',
      '96.5%',
      '7.25%',
      '0.05%',
      '0.0%',
    ]);
  });
});

describeEachDatabase('open api product details, categories and promos', (t) => {
  const seedWorld = () => seedProductWorld(t());
  const call = methodCall;
  const page = methodPage;

  it('gets product details by id in the order asked', async () => {
    const { ctx, affiliate, desk, steel } = await seedWorld();
    const result = await page(productDetailGet, ctx, affiliate.id, {
      product_ids: `${steel.productId}, ${desk.productId},no-such-id`,
    });
    expect(result.current_record_count).toBe(2);
    expect(result.products.product.map((r) => r.product_id)).toEqual([
      steel.productId,
      Number(desk.productId),
    ]);
    expect(result.products.product[0]).toMatchObject({
      commission_rate: '7.25%',
      first_level_category_name: expect.stringMatching(/^Top /),
      second_level_category_name: expect.stringMatching(/^Mid /),
    });
    expect(await productDetailGet.handle(call(ctx, affiliate.id, { product_ids: 'nope' }))).toBe(
      null,
    );
    await expect(productDetailGet.handle(call(ctx, affiliate.id, {}))).rejects.toMatchObject({
      code: 'MissingParameter',
    });
    const tooMany = Array.from({ length: 51 }, (_, i) => `id${i}`).join(',');
    await expect(
      productDetailGet.handle(call(ctx, affiliate.id, { product_ids: tooMany })),
    ).rejects.toMatchObject({ code: 'InvalidParameter' });
  });

  it('converts prices into the settlement currency only', async () => {
    const { ctx, affiliate, storeId, branch } = await seedWorld();
    const euro = await seedProduct(ctx, storeId, branch.leaf, {
      priceMinor: 1000n,
      currency: 'EUR',
    });
    await setFxRate(ctx, { currency: 'EUR', rate: '1.0825' });
    const usd = await page(productDetailGet, ctx, affiliate.id, {
      product_ids: euro.productId,
      target_currency: 'usd',
    });
    expect(usd.products.product[0]).toMatchObject({
      sale_price: 1000,
      sale_price_currency: 'EUR',
      target_sale_price: 1083,
      target_sale_price_currency: 'USD',
      target_original_price: 1083,
    });
    const same = await page(productDetailGet, ctx, affiliate.id, {
      product_ids: euro.productId,
      target_currency: 'EUR',
    });
    expect(same.products.product[0]).toMatchObject({ target_sale_price: 1000 });
    for (const target_currency of ['GBP', 'XX1'])
      await expect(
        productQuery.handle(call(ctx, affiliate.id, { category_ids: branch.top, target_currency })),
      ).rejects.toMatchObject({ code: 'InvalidParameter' });
  });

  it('lists the category tree, top-level categories without a parent', async () => {
    const { ctx, affiliate, branch } = await seedWorld();
    const result = (await categoryGet.handle(call(ctx, affiliate.id, {}))) as {
      total_result_count: number;
      categories: { category: Row[] };
    };
    const list = result.categories.category;
    expect(result.total_result_count).toBe(list.length);
    const byId = new Map(list.map((c) => [c.category_id, c]));
    expect(byId.get(branch.top)).toEqual({
      category_id: branch.top,
      category_name: expect.stringMatching(/^Top /),
    });
    expect(byId.get(branch.mid)).toMatchObject({ parent_category_id: branch.top });
    expect(byId.get(branch.leaf)).toMatchObject({ parent_category_id: branch.mid });
    const tops = list.filter((c) => !('parent_category_id' in c));
    expect(list.indexOf(byId.get(branch.leaf) as Row)).toBeGreaterThan(tops.length - 1);
  });

  it('offers Hot Product and Best Sellers promos, counted and paged from the catalog', async () => {
    const ctx = t();
    const promoCounts = async () => {
      const result = (await featuredPromoGet.handle(call(ctx, 'aff_any', {}))) as {
        current_record_count: number;
        promos: { promo: { promo_name: string; product_num: number }[] };
      };
      expect(result.current_record_count).toBe(2);
      return Object.fromEntries(result.promos.promo.map((p) => [p.promo_name, p.product_num]));
    };
    const before = await promoCounts();
    const { affiliate, branch, token } = await seedWorld();
    const after = await promoCounts();
    // One hot product; four of the five products have sold.
    expect(after['Hot Product']).toBe((before['Hot Product'] ?? 0) + 1);
    expect(after['Best Sellers']).toBe((before['Best Sellers'] ?? 0) + 4);
    const names = (await featuredPromoGet.handle(
      call(ctx, affiliate.id, { fields: 'promo_name' }),
    )) as { promos: { promo: Row[] } };
    expect(names.promos.promo).toEqual([
      { promo_name: 'Hot Product' },
      { promo_name: 'Best Sellers' },
    ]);

    const hot = await page(featuredPromoProductsGet, ctx, affiliate.id, {
      promotion_name: 'Hot Product',
      category_id: branch.top,
    });
    expect(hot).toMatchObject({ total_record_count: 1, is_finished: true });
    expect(titles(hot)).toEqual([`${token} Brass Desk`]);
    const best = await page(featuredPromoProductsGet, ctx, affiliate.id, {
      promotion_name: 'Best Sellers',
      category_id: branch.top,
      page_size: '2',
    });
    expect(best).toMatchObject({ total_record_count: 3, total_page_no: 2, is_finished: false });
    expect(titles(best)).toEqual([`${token} Cheap`, `${token} Brass Desk`]);
    const last = await page(featuredPromoProductsGet, ctx, affiliate.id, {
      promotion_name: 'Best Sellers',
      category_id: branch.top,
      page_size: '2',
      page_no: '2',
      sort: 'priceAsc',
    });
    expect(last).toMatchObject({ current_record_count: 1, is_finished: true });
    expect(titles(last)).toEqual([`${token} Steel`]);
    await expect(
      featuredPromoProductsGet.handle(call(ctx, affiliate.id, { promotion_name: 'Flash Deals' })),
    ).rejects.toMatchObject({ code: 'InvalidParameter' });
  });
});
