import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../test/context.js';
import { seedAffiliate } from '../test/factories.js';
import { seedStorefront, seedStoreWorld, storeInput } from '../test/storefronts.js';
import { createStorefront } from './create-storefront.js';
import { findLiveStorefront, listStorefronts } from './find-storefront.js';
import { MAX_STOREFRONTS_PER_AFFILIATE } from './schema.js';
import { storeCategories } from './store-categories.js';
import { storeProduct, storeProductIds, storeProducts } from './store-products.js';
import { updateStorefront } from './update-storefront.js';

describeEachDatabase('affiliate stores: building, changing and what they show', (t) => {
  let world: Awaited<ReturnType<typeof seedStoreWorld>>;
  beforeAll(async () => {
    world = await seedStoreWorld(t());
  });
  const titles = async (store: Parameters<typeof storeProducts>[1], query = {}) =>
    (await storeProducts(t().db, store, query)).products.map((p) => p.productId);

  it('shows the chosen categories and everything below them, best sellers first', async () => {
    const { products: p } = world;
    const store = await seedStorefront(t(), world.affiliate.id, { categoryIds: [world.a.mid] });
    expect(await titles(store)).toEqual([
      p.leafLamp.productId,
      p.midLamp.productId,
      p.clock.productId,
    ]);
    expect(await storeProductIds(t().db, store)).toEqual(await titles(store));
  });

  it('narrows the categories by keywords, adds products by id, and searches within', async () => {
    const { products: p } = world;
    const store = await seedStorefront(t(), world.affiliate.id, {
      categoryIds: [world.a.top],
      keywords: ['LAMP', 'lamp', 'sofa'],
      productIds: [p.chair.productId],
    });
    // The sofa matches a keyword but is outside the categories; the chair is listed by id.
    expect(store.keywords).toEqual(['LAMP', 'sofa']);
    expect(await titles(store)).toEqual([
      p.leafLamp.productId,
      p.midLamp.productId,
      p.chair.productId,
    ]);
    expect(await titles(store, { query: 'red' })).toEqual([
      p.leafLamp.productId,
      p.chair.productId,
    ]);
    expect(await titles(store, { categoryId: world.a.leaf })).toEqual([p.leafLamp.productId]);
    expect(await storeProduct(t().db, store, p.clock.productId)).toBeUndefined();
    expect((await storeProduct(t().db, store, p.chair.productId))?.title).toBe(p.chair.title);
  });

  it('shows keyword matches across the whole catalog when no category is chosen', async () => {
    const store = await seedStorefront(t(), world.affiliate.id, { keywords: ['red '] });
    expect(await titles(store)).toEqual([
      world.products.leafLamp.productId,
      world.products.chair.productId,
    ]);
  });

  it("builds the store's category tree from its chosen categories down, with counts", async () => {
    const store = await seedStorefront(t(), world.affiliate.id, {
      categoryIds: [world.a.mid],
      productIds: [world.products.sofa.productId],
    });
    const tree = await storeCategories(t().db, store);
    expect(tree.roots.map((c) => [c.id, c.count])).toEqual([
      [world.a.mid, 3],
      [world.b.top, 1],
    ]);
    expect(tree.childrenOf(world.a.mid).map((c) => [c.id, c.count])).toEqual([[world.a.leaf, 1]]);
    expect(tree.pathTo(world.b.leaf).map((c) => c.id)).toEqual([
      world.b.top,
      world.b.mid,
      world.b.leaf,
    ]);
    expect(tree.byId.has(world.a.top)).toBe(false);
  });

  it('refuses bad input with a clear error and writes nothing', async () => {
    const ctx = t();
    const before = (await listStorefronts(ctx.db, world.affiliate.id)).length;
    const taken = await seedStorefront(ctx, world.affiliate.id, { keywords: ['lamp'] });
    const cases: [Parameters<typeof storeInput>[0], string, RegExp][] = [
      [{ slug: 'No Spaces' }, 'invalid_request', /slug: 3–40 lower-case letters/],
      [{ slug: 'ab' }, 'invalid_request', /slug: 3–40/],
      [{ slug: '-lamps' }, 'invalid_request', /slug: 3–40/],
      [{ slug: 'assets' }, 'invalid_request', /reserved/],
      [{ slug: taken.slug }, 'duplicate_id', /the slug .* is taken/],
      [{ categoryIds: ['no-such-category'] }, 'category_not_found', /no-such-category/],
      [{ productIds: ['no-such-product'] }, 'product_not_found', /no-such-product/],
      [{ trackingId: 'nope' }, 'tracking_id_not_found', /nope/],
      [{ keywords: [] }, 'invalid_request', /at least one category, keyword or product/],
      [{ keywords: ['x'] }, 'invalid_request', /at least 2 characters/],
      [{ theme: 'neon' as 'classic' }, 'invalid_request', /theme/],
    ];
    for (const [overrides, code, message] of cases) {
      const input = storeInput({ keywords: ['lamp'], ...overrides });
      const attempt = createStorefront(ctx, world.affiliate.id, input);
      await expect(attempt, JSON.stringify(overrides)).rejects.toMatchObject({
        code,
        message: expect.stringMatching(message),
      });
    }
    expect((await listStorefronts(ctx.db, world.affiliate.id)).length).toBe(before + 1);
  });

  it("changes only the owner's store, keeping it whole on a refused change", async () => {
    const ctx = t();
    const store = await seedStorefront(ctx, world.affiliate.id, { keywords: ['lamp'] });
    const other = await seedAffiliate(ctx, { approve: true });
    await expect(
      updateStorefront(ctx, other.id, store.id, storeInput({ keywords: ['sofa'] })),
    ).rejects.toMatchObject({ code: 'storefront_not_found' });
    await expect(
      updateStorefront(
        ctx,
        world.affiliate.id,
        store.id,
        storeInput({ slug: store.slug, productIds: ['no-such-product'] }),
      ),
    ).rejects.toMatchObject({ code: 'product_not_found' });
    expect(await findLiveStorefront(ctx.db, store.slug)).toEqual(store);

    ctx.clock.advance(60_000);
    const changed = await updateStorefront(
      ctx,
      world.affiliate.id,
      store.id,
      storeInput({
        slug: `${store.slug}-new`,
        name: 'Sofas',
        theme: 'midnight',
        keywords: ['sofa'],
      }),
    );
    expect(changed).toMatchObject({ name: 'Sofas', theme: 'midnight', keywords: ['sofa'] });
    expect(changed.updatedAt > store.updatedAt).toBe(true);
    expect(await findLiveStorefront(ctx.db, store.slug)).toBeUndefined();
    expect((await findLiveStorefront(ctx.db, changed.slug))?.id).toBe(store.id);
  });

  it('limits the stores of one affiliate', async () => {
    const ctx = t();
    const affiliate = await seedAffiliate(ctx, { approve: true });
    for (let i = 0; i < MAX_STOREFRONTS_PER_AFFILIATE; i += 1)
      await createStorefront(
        ctx,
        affiliate.id,
        storeInput({ trackingId: 'default', keywords: ['lamp'] }),
      );
    await expect(
      createStorefront(ctx, affiliate.id, storeInput({ trackingId: 'default', keywords: ['x1'] })),
    ).rejects.toMatchObject({ code: 'storefront_limit' });
  });
});
