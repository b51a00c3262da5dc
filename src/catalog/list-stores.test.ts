import { expect, it } from 'vitest';
import { describeEachDatabase } from '../test/context.js';
import { seedCategoryBranch, seedProduct } from '../test/factories.js';
import { createSeller, createStore } from './create-store.js';
import { findStore, listStores, storePlans } from './list-stores.js';
import { setCommissionRate } from './set-commission-rate.js';
import { setEnrollment } from './set-enrollment.js';

describeEachDatabase('stores and their commission plans', (t) => {
  it('lists stores with their sellers, searchable by id or name', async () => {
    const ctx = t();
    const seller = await createSeller(ctx, { name: 'Gadget Co', email: 'plans@gadget.example' });
    await createStore(ctx, { id: 'st-a', sellerId: seller.id, name: 'Gadgets 100%' });
    await createStore(ctx, { id: 'st-b', sellerId: seller.id, name: 'Cables' });
    const ids = async (search?: string, after?: string) =>
      (await listStores(ctx.db, { search, after, limit: 10 })).map((s) => s.storeId);
    expect(await ids()).toEqual(['st-a', 'st-b']);
    expect(await ids('CABLE')).toEqual(['st-b']);
    expect(await ids('gadget co')).toEqual(['st-a', 'st-b']);
    expect(await ids('100%')).toEqual(['st-a']);
    expect(await ids('0_')).toEqual([]);
    expect(await ids(undefined, 'st-a')).toEqual(['st-b']);
    expect(await findStore(ctx.db, 'st-b')).toMatchObject({
      storeName: 'Cables',
      sellerName: 'Gadget Co',
      sellerEmail: 'plans@gadget.example',
    });
    expect(await findStore(ctx.db, 'st-z')).toBeUndefined();
  });

  it("gives each store's rules and enrollments in force, and what is scheduled", async () => {
    const ctx = t();
    const branch = await seedCategoryBranch(ctx);
    const product = await seedProduct(ctx, 'st-a', branch.leaf);
    await setEnrollment(ctx, { storeId: 'st-a', scope: 'store', enrolled: true });
    await setEnrollment(ctx, {
      storeId: 'st-a',
      scope: 'product',
      targetId: product.productId,
      enrolled: false,
    });
    await setCommissionRate(ctx, { scope: 'store', storeId: 'st-a', rateBp: 500 });
    await setCommissionRate(ctx, { scope: 'store', storeId: 'st-a', rateBp: 600 });
    await setCommissionRate(ctx, {
      scope: 'category',
      storeId: 'st-a',
      targetId: branch.mid,
      rateBp: 900,
    });
    await setCommissionRate(ctx, {
      scope: 'category',
      storeId: 'st-a',
      targetId: branch.mid,
      rateBp: null,
    });
    await setCommissionRate(ctx, {
      scope: 'product',
      storeId: 'st-a',
      targetId: product.productId,
      rateBp: 1000,
      effectiveFrom: new Date('2026-06-01T00:00:00.000Z'),
    });
    const plans = await storePlans(ctx.db, ['st-a', 'st-b'], ctx.clock.now());
    expect(plans.get('st-b')).toEqual({
      rules: [],
      enrollments: [],
      scheduled: [],
      truncated: false,
    });
    const plan = plans.get('st-a');
    expect(plan?.rules).toMatchObject([{ scope: 'store', targetId: null, rateBp: 600 }]);
    expect(plan?.enrollments).toMatchObject([
      { scope: 'store', targetId: null, enrolled: true },
      { scope: 'product', targetId: product.productId, enrolled: false },
    ]);
    expect(plan?.scheduled).toMatchObject([
      {
        scope: 'product',
        targetId: product.productId,
        rateBp: 1000,
        effectiveFrom: '2026-06-01T00:00:00.000Z',
      },
    ]);
    expect(plan?.truncated).toBe(false);
  });
});
