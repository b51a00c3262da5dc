import { expect, it } from 'vitest';
import { rateFor } from '../catalog/rate-for.js';
import { setCommissionRate } from '../catalog/set-commission-rate.js';
import { DAY_MS } from '../clock.js';
import { updateSettings } from '../settings/update-settings.js';
import { describeEachDatabase } from '../test/context.js';
import { seedCategoryBranch, seedProduct } from '../test/factories.js';
import { seedSellerWithStore } from '../test/seller-stores.js';
import { ratesOfProducts } from './rates-of-products.js';
import { setSellerEnrollment } from './seller-enrollment.js';
import { setSellerRate } from './seller-rates.js';

describeEachDatabase('rates of a page of products', (t) => {
  it('gives each product the rate and rule rateFor gives it, in both modes, now and later', async () => {
    const ctx = t();
    const a = await seedSellerWithStore(ctx, { products: 4 });
    const other = await seedSellerWithStore(ctx, { products: 1 });
    const { leaf: otherLeaf, mid } = await seedCategoryBranch(ctx);
    const [p0, p1, p2, p3] = a.productIds as [string, string, string, string];
    const p4 = (await seedProduct(ctx, a.storeId, otherLeaf)).productId;
    for (const s of [a, other])
      await setSellerEnrollment(ctx, s.sellerId, {
        storeId: s.storeId,
        scope: 'store',
        enrolled: true,
      });
    await setSellerRate(ctx, a.sellerId, { scope: 'store', storeId: a.storeId, rateBp: 500 });
    await setSellerRate(ctx, a.sellerId, {
      scope: 'category',
      storeId: a.storeId,
      targetId: a.categoryId,
      rateBp: 650,
    });
    await setSellerRate(ctx, a.sellerId, { scope: 'product', targetId: p1, rateBp: 900 });
    await setSellerRate(ctx, a.sellerId, { scope: 'hot_product', targetId: p1, rateBp: 1500 });
    await setSellerRate(ctx, other.sellerId, {
      scope: 'product',
      targetId: other.productIds[0] as string,
      rateBp: 4000,
    });
    const later = new Date(ctx.clock.now().getTime() + 3 * DAY_MS);
    await setSellerRate(ctx, a.sellerId, {
      scope: 'product',
      targetId: p2,
      rateBp: 1200,
      effectiveFrom: later,
    });
    await setSellerEnrollment(ctx, a.sellerId, {
      storeId: a.storeId,
      scope: 'product',
      targetId: p3,
      enrolled: false,
    });
    await setCommissionRate(ctx, { scope: 'program_category', targetId: mid, rateBp: 1000 });
    await setCommissionRate(ctx, {
      scope: 'program_category',
      targetId: a.categoryId,
      rateBp: 800,
    });

    const products = await ctx.db
      .selectFrom('products')
      .select(['product_id as productId', 'store_id as storeId', 'category_id as categoryId'])
      .where('product_id', 'in', [p0, p1, p2, p3, p4, other.productIds[0] as string])
      .execute();
    const compare = async (at: Date) => {
      const bulk = await ratesOfProducts(ctx.db, products, at);
      for (const p of products) {
        const one = await rateFor(ctx.db, p.productId, at);
        expect({ p: p.productId, ...bulk.get(p.productId) }).toEqual({
          p: p.productId,
          rateBp: one.rateBp,
          mode: one.mode,
          rule: one.rule,
          explanation: one.explanation,
        });
      }
      return products.map((p) => bulk.get(p.productId)?.rateBp);
    };
    expect(new Set(await compare(ctx.clock.now())).size).toBeGreaterThan(3);
    await compare(later);
    await updateSettings(ctx, { values: { commissionMode: 'fixed_category' } });
    try {
      await compare(ctx.clock.now());
    } finally {
      await updateSettings(ctx, { values: { commissionMode: 'seller_rates' } });
    }
  });
});
