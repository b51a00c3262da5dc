import { MAX_SEARCH_PAGE_SIZE, searchProducts } from '../../../catalog/search-products.js';
import type { OpenApiMethod } from '../method.js';
import { listParam, pickFields, required } from '../params.js';
import { parseRowParams, productRows } from './product-row.js';

/** aliexpress.affiliate.productdetail.get — up to 50 products by id, in the order asked. */
export const productDetailGet: OpenApiMethod = {
  name: 'aliexpress.affiliate.productdetail.get',
  async handle(call) {
    const { params } = call;
    required(params, 'product_ids');
    const ids = [...new Set(listParam(params, 'product_ids', MAX_SEARCH_PAGE_SIZE))];
    const rowParams = await parseRowParams(call);
    if (ids.length === 0) return null;
    const { products } = await searchProducts(call.ctx.db, {
      productIds: ids,
      limit: MAX_SEARCH_PAGE_SIZE,
      offset: 0,
    });
    if (products.length === 0) return null;
    const order = new Map(ids.map((id, index) => [id, index]));
    products.sort((a, b) => (order.get(a.productId) ?? 0) - (order.get(b.productId) ?? 0));
    const rows = await productRows(call, rowParams, products);
    return {
      current_record_count: rows.length,
      products: { product: pickFields(rows, params) },
    };
  },
};
