import { z } from 'zod';
import type { Ctx } from '../context.js';
import { isUniqueViolation } from '../db/connection.js';
import { toDbTime } from '../db/time.js';
import { AppError } from '../errors.js';
import { newId } from '../lib/ids.js';
import { parseInput } from '../lib/parse-input.js';
import { externalId } from './schema.js';

const sellerInput = z
  .object({
    id: externalId.optional(),
    name: z.string().trim().min(1).max(200),
    email: z.email().optional(),
  })
  .strict();
const storeInput = z
  .object({ id: externalId, sellerId: externalId, name: z.string().trim().min(1).max(200) })
  .strict();

/** A seller: the company behind one or more stores. */
export async function createSeller(
  ctx: Ctx,
  input: z.input<typeof sellerInput>,
): Promise<{ id: string }> {
  const seller = parseInput(sellerInput, input);
  const id = seller.id ?? newId('sel', ctx.clock);
  try {
    await ctx.db
      .insertInto('sellers')
      .values({
        id,
        name: seller.name,
        email: seller.email ?? null,
        created_at: toDbTime(ctx.clock.now()),
      })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('duplicate_id', `seller ${id} already exists`);
    throw error;
  }
  return { id };
}

/** A store on the marketplace; its id is the marketplace's own store id. */
export async function createStore(
  ctx: Ctx,
  input: z.input<typeof storeInput>,
): Promise<{ id: string }> {
  const store = parseInput(storeInput, input);
  const seller = await ctx.db
    .selectFrom('sellers')
    .select('id')
    .where('id', '=', store.sellerId)
    .executeTakeFirst();
  if (!seller) throw new AppError('invalid_request', `no seller ${store.sellerId}`);
  try {
    await ctx.db
      .insertInto('stores')
      .values({
        id: store.id,
        seller_id: store.sellerId,
        name: store.name,
        created_at: toDbTime(ctx.clock.now()),
      })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('duplicate_id', `store ${store.id} already exists`);
    throw error;
  }
  return { id: store.id };
}
