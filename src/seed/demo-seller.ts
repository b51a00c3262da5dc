import { createUser } from '../auth/create-user.js';
import type { Ctx } from '../context.js';

export const DEMO_SELLER = { email: 'seller@affnet.local', password: 'demo-seller' } as const;

/**
 * The seller-center login of the first demo store's seller: a user of role seller with its
 * password set directly (no invitation), as the demo affiliate's is.
 */
export async function seedDemoSeller(ctx: Ctx): Promise<{ sellerId: string; storeId: string }> {
  const store = await ctx.db
    .selectFrom('stores')
    .select(['id', 'seller_id'])
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  const user = await createUser(ctx, { ...DEMO_SELLER, role: 'seller' });
  await ctx.db
    .updateTable('sellers')
    .set({ user_id: user.id })
    .where('id', '=', store.seller_id)
    .execute();
  return { sellerId: store.seller_id, storeId: store.id };
}
