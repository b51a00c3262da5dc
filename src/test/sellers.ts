import { expect } from 'vitest';
import { createSeller, createStore } from '../catalog/create-store.js';
import type { Ctx } from '../context.js';
import { acceptSellerInvite, inviteSeller } from '../sellers/invite-seller.js';
import type { App } from '../server.js';
import { seedCategoryBranch, seedProduct } from './factories.js';
import { WebAgent } from './web-agent.js';

let sellers = 0;
export const SELLER_PASSWORD = 'seller passphrase';

/** A seller with one store of two products (in two categories), and its login's email. */
export async function seedSellerWithLogin(ctx: Ctx) {
  sellers += 1;
  const tag = `${sellers}-${Math.random().toString(36).slice(2, 7)}`;
  const sellerName = `Shop owner ${tag}`;
  const storeName = `Shop ${tag}`;
  const seller = await createSeller(ctx, { name: sellerName, email: `owner-${tag}@shop.example` });
  const store = await createStore(ctx, { id: `shop-${tag}`, sellerId: seller.id, name: storeName });
  const a = await seedCategoryBranch(ctx);
  const b = await seedCategoryBranch(ctx);
  const lamp = await seedProduct(ctx, store.id, a.leaf, { title: `Lamp ${tag}` });
  const chair = await seedProduct(ctx, store.id, b.leaf, { title: `Chair ${tag}` });
  const invite = await inviteSeller(ctx, { sellerId: seller.id, baseUrl: 'http://localhost' });
  await acceptSellerInvite(ctx, invite.token, SELLER_PASSWORD);
  return {
    sellerId: seller.id,
    sellerName,
    email: invite.email,
    storeId: store.id,
    storeName,
    categories: [a.leaf, b.leaf],
    lamp,
    chair,
  };
}

/** A seller logged in to the seller center, holding its session's CSRF token. */
export async function sellerAgent(app: App, email: string): Promise<WebAgent> {
  const agent = new WebAgent(app);
  await agent.get('/login');
  const res = await agent.post('/login', { email, password: SELLER_PASSWORD });
  expect(res.location).toBe('/seller');
  // The session's CSRF token, for the forms it sends next.
  await agent.get('/seller');
  return agent;
}
