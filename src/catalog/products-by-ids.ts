import type { Ctx } from '../context.js';
import { selectWhereIn } from '../db/select-where-in.js';

export type ProductSummary = { productId: string; title: string; categoryId: string };

/** Title and category of each of these products that exists, by id (one query). */
export async function productSummaries(
  ctx: Pick<Ctx, 'db' | 'sqlite'>,
  ids: readonly string[],
): Promise<Map<string, ProductSummary>> {
  const rows = await selectWhereIn<{ product_id: string; title: string; category_id: string }>(
    ctx,
    {
      from: 'products',
      columns: ['product_id', 'title', 'category_id'],
      column: 'product_id',
      values: [...new Set(ids)],
    },
  );
  return new Map(
    rows.map((r) => [
      r.product_id,
      { productId: r.product_id, title: r.title, categoryId: r.category_id },
    ]),
  );
}
