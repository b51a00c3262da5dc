import { findProduct } from '../catalog/queries.js';
import type { Product } from '../catalog/schema.js';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';

/**
 * What a seller may touch: its own stores and their products. Everything a seller does goes
 * through these checks with the seller taken from the session or the API key, never from
 * the request; another seller's store or product answers as if it did not exist.
 */
export async function storeIdsOfSeller(db: Db, sellerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('stores')
    .select('id')
    .where('seller_id', '=', sellerId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Throws store_not_found unless the store is this seller's. */
export async function assertSellerStore(db: Db, sellerId: string, storeId: string): Promise<void> {
  const row = await db
    .selectFrom('stores')
    .select('id')
    .where('id', '=', storeId)
    .where('seller_id', '=', sellerId)
    .executeTakeFirst();
  if (!row) throw new AppError('store_not_found', `store ${storeId} is not one of your stores`);
}

/** The product, if it is in one of this seller's stores; product_not_found otherwise. */
export async function sellerProduct(db: Db, sellerId: string, productId: string): Promise<Product> {
  const product = await findProduct(db, productId);
  const owned =
    product &&
    (await db
      .selectFrom('stores')
      .select('id')
      .where('id', '=', product.storeId)
      .where('seller_id', '=', sellerId)
      .executeTakeFirst());
  if (!product || !owned)
    throw new AppError('product_not_found', `product ${productId} is not in any of your stores`);
  return product;
}

/** The seller a seller-center login acts for, or undefined. */
export async function sellerOfUser(db: Db, userId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('sellers')
    .select('id')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.id;
}

/** The seller's name and email, or seller_not_found. */
export async function getSeller(
  db: Db,
  sellerId: string,
): Promise<{ id: string; name: string; email: string | null; userId: string | null }> {
  const row = await db
    .selectFrom('sellers')
    .select(['id', 'name', 'email', 'user_id'])
    .where('id', '=', sellerId)
    .executeTakeFirst();
  if (!row) throw new AppError('seller_not_found', `no seller ${sellerId}`);
  return { id: row.id, name: row.name, email: row.email, userId: row.user_id };
}
