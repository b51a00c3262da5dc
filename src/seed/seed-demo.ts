import { issueApiCredentials } from '../affiliates/api-credentials.js';
import { setBankAccount } from '../affiliates/bank-accounts.js';
import { signUp } from '../affiliates/sign-up.js';
import { createOperator } from '../auth/create-operator.js';
import { categoryIdFor } from '../catalog/category-paths.js';
import { createCategory } from '../catalog/create-category.js';
import { createSeller, createStore } from '../catalog/create-store.js';
import type { Product } from '../catalog/schema.js';
import { setCommissionRate } from '../catalog/set-commission-rate.js';
import { setEnrollment } from '../catalog/set-enrollment.js';
import { upsertProducts } from '../catalog/upsert-products.js';
import { type Ctx, inTransaction } from '../context.js';
import type { Db } from '../db/types.js';
import { updateSettings } from '../settings/update-settings.js';
import {
  adjectives,
  colours,
  demoCategories,
  shippingMethods,
  storeNames,
} from './demo-catalog.js';
import { SeededRandom } from './random.js';

export const DEMO_DOMAIN = 'market.affnet.test';
export const DEMO_OPERATOR = { email: 'admin@affnet.local', password: 'demo-admin' } as const;
export const DEMO_AFFILIATE = { email: 'demo@affnet.local', password: 'demo-affiliate' } as const;

export type DemoSeedResult = {
  products: number;
  stores: number;
  categories: number;
  affiliate: {
    id: string;
    email: string;
    password: string;
    appKey: string;
    appSecret: string;
    trackingId: string;
  };
  operator: { email: string; password: string };
};

/** True when nobody has an account yet: the only state in which the demo seeds itself. */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) === undefined;
}

/**
 * A small believable program: a three-level category tree, a dozen enrolled stores with
 * their rates, 1,200 products, the operator's fixed category table, an operator and an
 * approved affiliate. The same data on every run (seeded random).
 */
export async function seedDemo(ctx: Ctx, productsPerStore = 100): Promise<DemoSeedResult> {
  // One transaction: a seed cut short leaves an empty database, which seeds again next start.
  return inTransaction(ctx, (tx) => seed(tx, productsPerStore));
}

async function seed(ctx: Ctx, productsPerStore: number): Promise<DemoSeedResult> {
  const random = new SeededRandom(20_261_125);
  await updateSettings(ctx, {
    values: { marketplaceDomains: [DEMO_DOMAIN], autoApproveAffiliates: true },
    changedBy: 'demo seed',
  });

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

  let productCount = 0;
  for (const [index, name] of storeNames.entries()) {
    const storeId = String(1_100_000 + index * 137);
    const seller = await createSeller(ctx, { name, email: `seller${index + 1}@${DEMO_DOMAIN}` });
    await createStore(ctx, { id: storeId, sellerId: seller.id, name });
    const storeLeaves = Array.from({ length: 6 }, () => random.pick(leaves));
    const products: Product[] = Array.from({ length: productsPerStore }, (_, i) => {
      const leaf = random.pick(storeLeaves);
      const productId = String(1_005_000_000_000 + index * 100_000 + i);
      return {
        productId,
        storeId,
        categoryId: leaf.id,
        title: `${random.pick(adjectives)} ${random.pick(colours)} ${random.pick(leaf.nouns)}`,
        priceMinor: BigInt(random.int(199, 29_999)),
        currency: 'USD',
        url: `https://${DEMO_DOMAIN}/item/${productId}.html`,
        imageUrls: [`https://${DEMO_DOMAIN}/img/${productId}.jpg`],
        salesVolume: BigInt(random.int(0, 25_000)),
        positiveFeedbackBp: random.int(8_800, 10_000),
        shipFrom: random.pick(['CN', 'CN', 'CN', 'ES', 'PL', 'US']),
        shippingMethods: [random.pick(shippingMethods), random.pick(shippingMethods)].filter(
          (m, k, all) => all.indexOf(m) === k,
        ),
      };
    });
    await upsertProducts(ctx, products);
    productCount += products.length;

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
    await setEnrollment(ctx, {
      storeId,
      scope: 'product',
      targetId: (products[4] as Product).productId,
      enrolled: false,
      createdBy: 'demo seed',
    });
  }

  await createOperator(ctx, DEMO_OPERATOR);
  const affiliate = await signUp(
    ctx,
    { ...DEMO_AFFILIATE, country: 'DE', websiteUrl: 'https://deals-blog.example' },
    { approve: true },
  );
  const credentials = await issueApiCredentials(ctx, affiliate.id);
  await setBankAccount(ctx, affiliate.id, {
    iban: 'DE89 3704 0044 0532 0130 00',
    bic: 'COBADEFFXXX',
    holderName: 'Demo Affiliate',
    country: 'DE',
  });

  return {
    products: productCount,
    stores: storeNames.length,
    categories,
    operator: { ...DEMO_OPERATOR },
    affiliate: {
      id: affiliate.id,
      ...DEMO_AFFILIATE,
      ...credentials,
      trackingId: affiliate.trackingId,
    },
  };
}
