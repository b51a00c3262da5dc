import { randomBytes } from 'node:crypto';
import { createSeller, createStore } from '../catalog/create-store.js';
import type { Ctx } from '../context.js';
import { seedCategoryBranch, seedProduct } from './factories.js';

/** A seller with one store (enrolled in nothing yet) and `products` products in one category. */
export async function seedSellerWithStore(ctx: Ctx, options: { products?: number } = {}) {
  const tag = randomBytes(4).toString('hex');
  const seller = await createSeller(ctx, { name: `Seller ${tag}`, email: `s-${tag}@shop.example` });
  const store = await createStore(ctx, {
    id: `st-${tag}`,
    sellerId: seller.id,
    name: `Store ${tag}`,
  });
  const { leaf } = await seedCategoryBranch(ctx);
  const productIds: string[] = [];
  for (let i = 0; i < (options.products ?? 2); i += 1)
    productIds.push(
      (await seedProduct(ctx, store.id, leaf, { productId: `pr-${tag}-${i}` })).productId,
    );
  return { sellerId: seller.id, storeId: store.id, categoryId: leaf, productIds };
}
