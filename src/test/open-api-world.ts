import type { OpenApiMethod } from '../api/open-api/method.js';
import { setCommissionRate } from '../catalog/set-commission-rate.js';
import { setEnrollment } from '../catalog/set-enrollment.js';
import type { TestContext } from './context.js';
import {
  allowTestDomain,
  seedAffiliate,
  seedCategoryBranch,
  seedProduct,
  seedStore,
  TEST_DOMAIN,
} from './factories.js';

export const OPEN_API_BASE = 'https://affnet.example';
export type Row = Record<string, unknown>;
export type Page = { products: { product: Row[] } } & Record<string, unknown>;

let worlds = 0;

export async function seedProductWorld(ctx: TestContext) {
  await allowTestDomain(ctx);
  worlds += 1;
  const token = `Lamp${worlds}x`;
  const affiliate = await seedAffiliate(ctx, { approve: true });
  const branch = await seedCategoryBranch(ctx);
  const elsewhere = await seedCategoryBranch(ctx);
  const storeId = await seedStore(ctx);
  await setEnrollment(ctx, { storeId, scope: 'store', enrolled: true });
  await setCommissionRate(ctx, { scope: 'store', storeId, rateBp: 700 });
  const product = (categoryId: string, title: string, priceMinor: bigint, salesVolume: bigint) =>
    seedProduct(ctx, storeId, categoryId, {
      title,
      priceMinor,
      salesVolume,
      imageUrls: [`https://${TEST_DOMAIN}/img/${title}.jpg`],
    });
  const deskId = String(1005000000000000 + worlds);
  const desk = await seedProduct(ctx, storeId, branch.leaf, {
    productId: deskId,
    url: `https://${TEST_DOMAIN}/item/${deskId}.html`,
    title: `${token} Brass Desk`,
    priceMinor: 1500n,
    salesVolume: 30n,
    positiveFeedbackBp: 9650,
    imageUrls: [`https://${TEST_DOMAIN}/img/a.jpg`, `https://${TEST_DOMAIN}/img/b.jpg`],
  });
  const steel = await product(branch.mid, `${token} Steel`, 2500n, 10n);
  const cheap = await product(branch.leaf, `${token} Cheap`, 500n, 100n);
  const other = await product(elsewhere.leaf, `${token} Elsewhere`, 2000n, 5n);
  const unrelated = await product(branch.leaf, `Unrelated ${worlds}`, 2000n, 0n);
  await setCommissionRate(ctx, { scope: 'product', targetId: steel.productId, rateBp: 725 });
  await setCommissionRate(ctx, { scope: 'hot_product', targetId: desk.productId, rateBp: 900 });
  return {
    ctx,
    token,
    affiliate,
    branch,
    elsewhere,
    storeId,
    desk,
    steel,
    cheap,
    other,
    unrelated,
  };
}

export function methodCall(ctx: TestContext, affiliateId: string, params: Record<string, string>) {
  return { ctx, affiliateId, params, now: ctx.clock.now(), baseUrl: OPEN_API_BASE };
}

export async function methodPage(
  method: OpenApiMethod,
  ctx: TestContext,
  affiliateId: string,
  params: Record<string, string>,
): Promise<Page> {
  const result = await method.handle(methodCall(ctx, affiliateId, params));
  if (!result) throw new Error(`${method.name} gave an empty result`);
  return result as Page;
}

export const titles = (p: Page) => p.products.product.map((r) => r.product_title);
