import { listCategories } from '../../../catalog/list-categories.js';
import type { OpenApiMethod } from '../method.js';
import { idValue } from './product-row.js';

/**
 * aliexpress.affiliate.category.get — the category tree, top levels first; a top-level
 * category has no parent_category_id, as on the platform.
 */
export const categoryGet: OpenApiMethod = {
  name: 'aliexpress.affiliate.category.get',
  async handle(call) {
    const categories = await listCategories(call.ctx.db);
    if (categories.length === 0) return null;
    return {
      total_result_count: categories.length,
      categories: {
        category: categories.map((c) => ({
          category_id: idValue(c.id),
          category_name: c.name,
          ...(c.parentId === null ? {} : { parent_category_id: idValue(c.parentId) }),
        })),
      },
    };
  },
};
