import { signUp } from '../affiliates/sign-up.js';
import { createCategory } from '../catalog/create-category.js';
import { createSeller, createStore } from '../catalog/create-store.js';
import type { Product } from '../catalog/schema.js';
import { upsertProducts } from '../catalog/upsert-products.js';
import type { Ctx } from '../context.js';
import { updateSettings } from '../settings/update-settings.js';

export const TEST_DOMAIN = 'shop.example';
let sequence = 0;
const next = () => ++sequence;

/** Allows the test marketplace domain (idempotent enough: a second change is a no-op value). */
export async function allowTestDomain(ctx: Ctx): Promise<void> {
  await updateSettings(ctx, { values: { marketplaceDomains: [TEST_DOMAIN] } });
}

/** A three-level branch: top > mid > leaf; returns the ids nearest first. */
export async function seedCategoryBranch(
  ctx: Ctx,
): Promise<{ leaf: string; mid: string; top: string }> {
  const n = next();
  const top = `top-${n}`;
  const mid = `mid-${n}`;
  const leaf = `leaf-${n}`;
  await createCategory(ctx, { id: top, name: `Top ${n}` });
  await createCategory(ctx, { id: mid, name: `Mid ${n}`, parentId: top });
  await createCategory(ctx, { id: leaf, name: `Leaf ${n}`, parentId: mid });
  return { leaf, mid, top };
}

export async function seedStore(ctx: Ctx): Promise<string> {
  const n = next();
  const seller = await createSeller(ctx, { name: `Seller ${n}` });
  const store = await createStore(ctx, {
    id: `store-${n}`,
    sellerId: seller.id,
    name: `Store ${n}`,
  });
  return store.id;
}

export async function seedProduct(
  ctx: Ctx,
  storeId: string,
  categoryId: string,
  overrides: Partial<Product> = {},
): Promise<Product> {
  const n = next();
  const product: Product = {
    productId: `p-${n}`,
    storeId,
    categoryId,
    title: `Test product ${n}`,
    priceMinor: 1999n,
    currency: 'USD',
    url: `https://${TEST_DOMAIN}/item/p-${n}.html`,
    imageUrls: [],
    salesVolume: 0n,
    positiveFeedbackBp: null,
    shipFrom: null,
    shippingMethods: ['DHL'],
    ...overrides,
  };
  await upsertProducts(ctx, [product]);
  return product;
}

export async function seedAffiliate(
  ctx: Ctx,
  options: { approve?: boolean } = {},
): Promise<{ id: string; email: string }> {
  const n = next();
  const email = `affiliate${n}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const created = await signUp(
    ctx,
    { email, password: 'a long password', country: 'DE', websiteUrl: 'https://blog.example' },
    options,
  );
  return { id: created.id, email };
}
