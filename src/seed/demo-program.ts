import { categoryIdFor } from '../catalog/category-paths.js';
import { createCategory } from '../catalog/create-category.js';
import { createSeller, createStore } from '../catalog/create-store.js';
import type { Product } from '../catalog/schema.js';
import { setCommissionRate } from '../catalog/set-commission-rate.js';
import { setEnrollment } from '../catalog/set-enrollment.js';
import { upsertProducts } from '../catalog/upsert-products.js';
import type { Ctx } from '../context.js';
import { setFxRate } from '../fx/set-fx-rate.js';
import { updateSettings } from '../settings/update-settings.js';
import {
  adjectives,
  colours,
  demoCategories,
  shippingMethods,
  storeNames,
} from './demo-catalog.js';
import type { SeededRandom } from './random.js';

export const DEMO_DOMAIN = 'market.affnet.test';

/** What the history needs to know of a product: enough to buy it. */
export type DemoProduct = {
  productId: string;
  storeId: string;
  url: string;
  priceMinor: bigint;
  shippingMethods: string[];
  enrolled: boolean;
};

export type DemoProgram = { products: DemoProduct[]; stores: number; categories: number };

/**
 * The marketplace and its plan: the program's settings, a three-level category tree with
 * the operator's fixed rates, and per store a seller, products (pages and pictures on the
 * demo market at `baseUrl`/market), enrollment and the seller's rates.
 */
export async function seedProgram(
  ctx: Ctx,
  random: SeededRandom,
  options: { baseUrl: string; productsPerStore: number },
): Promise<DemoProgram> {
  const market = new URL(options.baseUrl);
  await updateSettings(ctx, {
    values: {
      // The demo market is served by affnet itself; market.affnet.test stands for a real one.
      marketplaceDomains: [...new Set([DEMO_DOMAIN, market.hostname])],
      autoApproveAffiliates: true,
      payoutDebtorName: 'Affnet Demo Programme Ltd',
      payoutDebtorIban: 'DE02 1203 0000 0000 2020 51',
      payoutDebtorBic: 'BYLADEM1001',
      manualPayoutCountries: ['BR'],
    },
    changedBy: 'demo seed',
  });
  await setFxRate(ctx, { currency: 'EUR', rate: '1.08' });

  type Leaf = { id: string; nouns: string[]; chain: string[] };
  const leaves: Leaf[] = [];
  let categories = 0;
  for (const top of demoCategories) {
    const topId = categoryIdFor([top.name]);
    await createCategory(ctx, { id: topId, name: top.name });
    await setCommissionRate(ctx, {
      scope: 'program_category',
      targetId: topId,
      rateBp: top.fixedRateBp,
      createdBy: 'demo seed',
    });
    categories += 1;
    for (const [midName, children] of Object.entries(top.children)) {
      const midId = categoryIdFor([top.name, midName]);
      await createCategory(ctx, { id: midId, name: midName, parentId: topId });
      categories += 1;
      for (const [leafName, nouns] of Object.entries(children)) {
        const leafId = categoryIdFor([top.name, midName, leafName]);
        await createCategory(ctx, { id: leafId, name: leafName, parentId: midId });
        leaves.push({ id: leafId, nouns, chain: [leafId, midId, topId] });
        categories += 1;
      }
    }
  }

  const base = options.baseUrl.replace(/\/+$/, '');
  const all: DemoProduct[] = [];
  for (const [index, name] of storeNames.entries()) {
    const storeId = String(1_100_000 + index * 137);
    const seller = await createSeller(ctx, { name, email: `seller${index + 1}@${DEMO_DOMAIN}` });
    await createStore(ctx, { id: storeId, sellerId: seller.id, name });
    const storeLeaves = Array.from({ length: 6 }, () => random.pick(leaves));
    const products: Product[] = Array.from({ length: options.productsPerStore }, (_, i) => {
      const leaf = random.pick(storeLeaves);
      const productId = String(1_005_000_000_000 + index * 100_000 + i);
      return {
        productId,
        storeId,
        categoryId: leaf.id,
        title: `${random.pick(adjectives)} ${random.pick(colours)} ${random.pick(leaf.nouns)}`,
        priceMinor: BigInt(random.int(199, 29_999)),
        currency: 'USD',
        url: `${base}/market/item/${productId}.html`,
        imageUrls: [`${base}/market/img/${productId}.svg`],
        salesVolume: BigInt(random.int(0, 25_000)),
        positiveFeedbackBp: random.int(8_800, 10_000),
        shipFrom: random.pick(['CN', 'CN', 'CN', 'ES', 'PL', 'US']),
        shippingMethods: [random.pick(shippingMethods), random.pick(shippingMethods)].filter(
          (m, k, methods) => methods.indexOf(m) === k,
        ),
      };
    });
    await upsertProducts(ctx, products);

    await setEnrollment(ctx, { storeId, scope: 'store', enrolled: true, createdBy: 'demo seed' });
    const defaultBp = random.int(4, 10) * 100;
    await setCommissionRate(ctx, {
      scope: 'store',
      storeId,
      rateBp: defaultBp,
      createdBy: 'demo seed',
    });
    const leaf = storeLeaves[0] as Leaf;
    await setCommissionRate(ctx, {
      scope: 'category',
      storeId,
      targetId: leaf.chain[1] as string,
      rateBp: defaultBp + 200,
      createdBy: 'demo seed',
    });
    for (const product of products.slice(0, 3)) {
      await setCommissionRate(ctx, {
        scope: 'product',
        storeId,
        targetId: product.productId,
        rateBp: random.int(10, 20) * 100,
        createdBy: 'demo seed',
      });
    }
    const hot = products[3] as Product;
    await setCommissionRate(ctx, {
      scope: 'hot_product',
      storeId,
      targetId: hot.productId,
      rateBp: 2500,
      createdBy: 'demo seed',
    });
    // One product per store stays out of the program: its page says so instead of a rate.
    const excluded = (products[4] as Product).productId;
    await setEnrollment(ctx, {
      storeId,
      scope: 'product',
      targetId: excluded,
      enrolled: false,
      createdBy: 'demo seed',
    });
    for (const p of products)
      all.push({
        productId: p.productId,
        storeId,
        url: p.url,
        priceMinor: p.priceMinor,
        shippingMethods: p.shippingMethods ?? [],
        enrolled: p.productId !== excluded,
      });
  }
  return { products: all, stores: storeNames.length, categories };
}
