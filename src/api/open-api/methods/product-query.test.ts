import { expect, it } from 'vitest';
import { createTrackingId } from '../../../affiliates/tracking-ids.js';
import { setCommissionRate } from '../../../catalog/set-commission-rate.js';
import { describeEachDatabase } from '../../../test/context.js';
import { seedAffiliate, TEST_DOMAIN } from '../../../test/factories.js';
import { methodCall, methodPage, seedProductWorld, titles } from '../../../test/open-api-world.js';
import { productDetailGet } from './product-detail.js';
import { hotProductQuery, productQuery } from './product-query.js';

describeEachDatabase('open api product queries', (t) => {
  const seedWorld = () => seedProductWorld(t());
  const call = methodCall;
  const page = methodPage;

  it('filters by keyword in any case, category subtree and price, sorts, and pages with totals', async () => {
    const { ctx, token, affiliate, branch, storeId, desk: deskProduct } = await seedWorld();
    const params = {
      keywords: token.toLowerCase(),
      category_ids: branch.top,
      min_sale_price: '1000',
      max_sale_price: '3000',
      sort: 'SALE_PRICE_DESC',
      page_size: '1',
    };
    const first = await page(productQuery, ctx, affiliate.id, params);
    expect(first).toMatchObject({
      current_page_no: 1,
      current_record_count: 1,
      total_page_no: 2,
      total_record_count: 2,
    });
    expect(titles(first)).toEqual([`${token} Steel`]);
    const second = await page(productQuery, ctx, affiliate.id, { ...params, page_no: '2' });
    expect(second.current_page_no).toBe(2);
    expect(second.products.product).toHaveLength(1);
    const desk = second.products.product[0];
    expect(desk).toMatchObject({
      product_id: Number(deskProduct.productId),
      product_title: `${token} Brass Desk`,
      product_main_image_url: `https://${TEST_DOMAIN}/img/a.jpg`,
      product_small_image_urls: {
        string: [`https://${TEST_DOMAIN}/img/a.jpg`, `https://${TEST_DOMAIN}/img/b.jpg`],
      },
      promotion_link: null,
      sale_price: 1500,
      sale_price_currency: 'USD',
      original_price: 1500,
      target_sale_price: 1500,
      target_sale_price_currency: 'USD',
      discount: '0%',
      evaluate_rate: '96.5%',
      lastest_volume: 30,
      commission_rate: '7.0%',
      first_level_category_id: branch.top,
      first_level_category_name: expect.stringMatching(/^Top /),
      second_level_category_id: branch.mid,
      shop_id: storeId,
      shop_url: `https://${TEST_DOMAIN}/store/${storeId}`,
      shop_name: expect.stringMatching(/^Store /),
    });
    expect(await productQuery.handle(call(ctx, affiliate.id, { ...params, page_no: '3' }))).toBe(
      null,
    );

    const byVolume = await page(productQuery, ctx, affiliate.id, {
      keywords: token,
      category_ids: branch.top,
      sort: 'LAST_VOLUME_ASC',
    });
    expect(titles(byVolume)).toEqual([`${token} Steel`, `${token} Brass Desk`, `${token} Cheap`]);
    expect(byVolume.products.product[0]?.commission_rate).toBe('7.25%');
    const both = await page(productQuery, ctx, affiliate.id, {
      keywords: token,
      category_ids: `${branch.leaf},nothing-here`,
      sort: 'SALE_PRICE_ASC',
    });
    expect(titles(both)).toEqual([`${token} Cheap`, `${token} Brass Desk`]);
  });

  it('refuses page sizes over 50, deep pages and unknown sorts', async () => {
    const { ctx, affiliate } = await seedWorld();
    for (const params of [
      { page_size: '51' },
      { page_size: '0' },
      { page_no: '1001' },
      { sort: 'PRICE_SIDEWAYS' },
      { sort: 'DISCOUNT_ASC' },
      { min_sale_price: '12.5' },
    ])
      await expect(productQuery.handle(call(ctx, affiliate.id, params))).rejects.toMatchObject({
        name: 'OpenApiError',
        code: 'InvalidParameter',
      });
  });

  it('answers an empty result with null', async () => {
    const { ctx, affiliate, branch } = await seedWorld();
    expect(
      await productQuery.handle(call(ctx, affiliate.id, { keywords: 'no such product 100%_' })),
    ).toBe(null);
    expect(
      await productQuery.handle(
        call(ctx, affiliate.id, { category_ids: branch.top, min_sale_price: '999999' }),
      ),
    ).toBe(null);
  });

  it('lists only products with a hot rate in force in hotproduct.query, with that rate', async () => {
    const { ctx, token, affiliate, branch, desk } = await seedWorld();
    const hot = await page(hotProductQuery, ctx, affiliate.id, {
      keywords: token,
      category_ids: branch.top,
      sort: 'DISCOUNT_DESC',
    });
    expect(hot.total_record_count).toBe(1);
    expect(hot.products.product[0]).toMatchObject({
      product_title: desk.title,
      commission_rate: '7.0%',
      hot_product_commission_rate: '9.0%',
    });
    const all = await page(productQuery, ctx, affiliate.id, { keywords: token });
    const cheap = all.products.product.find((r) => r.product_title === `${token} Cheap`);
    expect(cheap?.hot_product_commission_rate).toBe(null);

    // Removing the hot rule (a null rate) takes the product off the hot list.
    await setCommissionRate(ctx, { scope: 'hot_product', targetId: desk.productId, rateBp: null });
    expect(await hotProductQuery.handle(call(ctx, affiliate.id, { keywords: token }))).toBe(null);
  });

  it('keeps only the requested fields', async () => {
    const { ctx, token, affiliate } = await seedWorld();
    const result = await page(productQuery, ctx, affiliate.id, {
      keywords: token,
      fields: 'product_id,commission_rate',
    });
    expect(result.products.product).toHaveLength(4);
    for (const row of result.products.product)
      expect(Object.keys(row).sort()).toEqual(['commission_rate', 'product_id']);
  });

  it("makes the caller's tracking links, hot links for hot products, and refuses another affiliate's tracking id", async () => {
    const { ctx, token, affiliate, branch } = await seedWorld();
    await createTrackingId(ctx, affiliate.id, 'blog');
    const params = { keywords: token, category_ids: branch.top, tracking_id: 'blog' };
    const linked = await page(productQuery, ctx, affiliate.id, params);
    const links = linked.products.product.map((r) => r.promotion_link as string);
    expect(links).toHaveLength(3);
    for (const link of links)
      expect(link).toMatch(/^https:\/\/affnet\.example\/c\/[0-9A-Za-z]{8}$/);
    expect(new Set(links).size).toBe(3);
    const again = await page(productQuery, ctx, affiliate.id, params);
    expect(again.products.product.map((r) => r.promotion_link)).toEqual(links);

    const hot = await page(hotProductQuery, ctx, affiliate.id, params);
    const hotLink = hot.products.product[0]?.promotion_link as string;
    expect(hotLink).toMatch(/^https:\/\/affnet\.example\/c\//);
    expect(links).not.toContain(hotLink);
    const code = hotLink.split('/c/')[1] ?? '';
    const stored = await ctx.db
      .selectFrom('links')
      .select(['type', 'affiliate_id'])
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ type: 'hot', affiliate_id: affiliate.id });

    const stranger = await seedAffiliate(ctx, { approve: true });
    await createTrackingId(ctx, stranger.id, 'theirs');
    for (const method of [productQuery, hotProductQuery, productDetailGet])
      await expect(
        method.handle(
          call(ctx, affiliate.id, { ...params, product_ids: 'x', tracking_id: 'theirs' }),
        ),
      ).rejects.toMatchObject({ code: 'InvalidParameter' });
    // Even when nothing matches, the tracking id is checked.
    await expect(
      productQuery.handle(call(ctx, affiliate.id, { keywords: 'zzz-none', tracking_id: 'theirs' })),
    ).rejects.toMatchObject({ code: 'InvalidParameter' });
  });
});
