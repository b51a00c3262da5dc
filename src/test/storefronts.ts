import { createTrackingId } from '../affiliates/tracking-ids.js';
import { setEnrollment } from '../catalog/set-enrollment.js';
import type { Ctx } from '../context.js';
import { createStorefront } from '../storefront/create-storefront.js';
import type { StorefrontInput } from '../storefront/schema.js';
import {
  allowTestDomain,
  seedAffiliate,
  seedCategoryBranch,
  seedProduct,
  seedStore,
} from './factories.js';

let sequence = 0;

/**
 * A catalog for stores: branch A (top > mid > leaf) holds a lamp in the leaf, a lamp and a
 * clock in the mid; branch B holds a chair and a sofa. An approved affiliate with the
 * tracking id `shop`.
 */
export async function seedStoreWorld(ctx: Ctx) {
  sequence += 1;
  await allowTestDomain(ctx);
  const affiliate = await seedAffiliate(ctx, { approve: true });
  await createTrackingId(ctx, affiliate.id, 'shop');
  const a = await seedCategoryBranch(ctx);
  const b = await seedCategoryBranch(ctx);
  const storeId = await seedStore(ctx);
  await setEnrollment(ctx, { storeId, scope: 'store', enrolled: true });
  const image = (n: string) => [`https://img.shop.example/${sequence}-${n}.jpg`];
  const seed = (category: string, title: string, salesVolume: bigint) =>
    seedProduct(ctx, storeId, category, { title, salesVolume, imageUrls: image(title) });
  const products = {
    leafLamp: await seed(a.leaf, `Red desk lamp ${sequence}`, 50n),
    midLamp: await seed(a.mid, `Blue floor lamp ${sequence}`, 40n),
    clock: await seed(a.mid, `Brass wall clock ${sequence}`, 30n),
    chair: await seed(b.leaf, `Red oak chair ${sequence}`, 20n),
    sofa: await seed(b.leaf, `Green velvet sofa ${sequence}`, 10n),
  };
  return { affiliate, a, b, products };
}

/** A store input with everything filled in; the tests change what they are about. */
export function storeInput(overrides: Partial<StorefrontInput> = {}): StorefrontInput {
  sequence += 1;
  return {
    name: `Lamp corner ${sequence}`,
    slug: `lamp-corner-${sequence}`,
    theme: 'classic',
    trackingId: 'shop',
    seoTitle: 'Lamps and clocks, hand-picked',
    seoDescription: 'Desk lamps, floor lamps and wall clocks with their prices.',
    categoryIds: [],
    keywords: [],
    productIds: [],
    ...overrides,
  };
}

export async function seedStorefront(
  ctx: Ctx,
  affiliateId: string,
  overrides: Partial<StorefrontInput> = {},
) {
  return createStorefront(ctx, affiliateId, storeInput(overrides));
}
