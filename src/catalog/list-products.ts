import { sql } from 'kysely';
import { z } from 'zod';
import type { Ctx } from '../context.js';
import { parseInput } from '../lib/parse-input.js';
import { toProduct } from './queries.js';
import { rateFor } from './rate-for.js';
import type { RateRule } from './resolve-rate.js';
import type { Product } from './schema.js';

export const MAX_PAGE = 1000;

export const listProductsInput = z
  .object({
    limit: z.number().int().min(1).max(MAX_PAGE).default(50),
    search: z.string().trim().max(200).optional(),
    /** Cursor: the last product_id of the previous page. */
    after: z.string().max(64).optional(),
  })
  .strict();

export type ListedProduct = Product & { rateBp: number; rule: RateRule; explanation: string };

/** Products in id order, optionally filtered by title, each with the rate in force now. */
export async function listProducts(
  ctx: Ctx,
  input: z.input<typeof listProductsInput>,
): Promise<ListedProduct[]> {
  const { limit, search, after } = parseInput(listProductsInput, input);
  let query = ctx.db.selectFrom('products').selectAll().orderBy('product_id').limit(limit);
  if (after) query = query.where('product_id', '>', after);
  if (search) {
    const pattern = `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // SQLite has no default LIKE escape character; name it so both databases agree.
    query = query.where(sql<boolean>`lower(title) like ${pattern} escape '\\'`);
  }
  const rows = await query.execute();
  const now = ctx.clock.now();
  const listed: ListedProduct[] = [];
  for (const row of rows) {
    const { rateBp, rule, explanation } = await rateFor(ctx.db, row.product_id, now);
    listed.push({ ...toProduct(row), rateBp, rule, explanation });
  }
  return listed;
}
