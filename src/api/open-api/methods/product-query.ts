import {
  MAX_SEARCH_PAGE_SIZE,
  type ProductFilter,
  type ProductSort,
  searchProducts,
} from '../../../catalog/search-products.js';
import { invalid } from '../errors.js';
import type { OpenApiCall, OpenApiMethod } from '../method.js';
import { intParam, listParam, lookup, type Params, pickFields } from '../params.js';
import { parseRowParams, productRows } from './product-row.js';

/**
 * The deepest page a search reaches: 1000 pages of at most 50 keep the database's offset
 * under 50,000 rows. total_page_no never promises more; total_record_count stays true.
 */
export const MAX_PAGE_NO = 1000;
const MAX_CATEGORY_IDS = 50;
const MAX_KEYWORDS_LENGTH = 200;

export const SORTS: Readonly<Record<string, ProductSort>> = {
  SALE_PRICE_ASC: 'price_asc',
  SALE_PRICE_DESC: 'price_desc',
  LAST_VOLUME_ASC: 'volume_asc',
  LAST_VOLUME_DESC: 'volume_desc',
};
/**
 * Every product's discount is 0%, so any order is a discount order: DISCOUNT_* break the
 * tie by sales volume, which is what a client sorting hot products usually wants.
 */
export const HOT_SORTS: Readonly<Record<string, ProductSort>> = {
  ...SORTS,
  DISCOUNT_ASC: 'volume_asc',
  DISCOUNT_DESC: 'volume_desc',
};

/** aliexpress.affiliate.product.query — search the catalog. */
export const productQuery: OpenApiMethod = {
  name: 'aliexpress.affiliate.product.query',
  handle: (call) => query(call, false),
};

/** aliexpress.affiliate.hotproduct.query — search products with a hot-product rate now. */
export const hotProductQuery: OpenApiMethod = {
  name: 'aliexpress.affiliate.hotproduct.query',
  handle: (call) => query(call, true),
};

async function query(call: OpenApiCall, hot: boolean): Promise<Record<string, unknown> | null> {
  const { params } = call;
  const filter = parseFilter(params);
  if (hot) filter.hotAt = call.now;
  const sort = parseSort(params, hot ? HOT_SORTS : SORTS);
  return searchPage(call, filter, sort, { hotLinks: hot });
}

/**
 * keywords (title contains, any case), category_ids (a product matches when its own
 * category or any ancestor of it is listed), min_/max_sale_price in minor units of the
 * product's own currency.
 */
export function parseFilter(params: Params): ProductFilter {
  const filter: ProductFilter = {};
  const keywords = params.keywords?.trim();
  if (keywords) {
    if (keywords.length > MAX_KEYWORDS_LENGTH)
      throw invalid('keywords', `at most ${MAX_KEYWORDS_LENGTH} characters`);
    filter.keywords = keywords;
  }
  const categoryIds = listParam(params, 'category_ids', MAX_CATEGORY_IDS);
  if (categoryIds.length > 0) filter.categoryIds = categoryIds;
  const min = price(params, 'min_sale_price');
  const max = price(params, 'max_sale_price');
  if (min !== undefined) filter.minPriceMinor = min;
  if (max !== undefined) filter.maxPriceMinor = max;
  return filter;
}

function price(params: Params, name: string): bigint | undefined {
  if (!params[name]) return undefined;
  return BigInt(intParam(params, name, 0, 999_999_999_999, 0));
}

/** The sort parameter by one of the names a method accepts; absent: product id order. */
export function parseSort(
  params: Params,
  sorts: Readonly<Record<string, ProductSort>>,
  fallback?: ProductSort,
): ProductSort | undefined {
  const text = params.sort?.trim();
  if (!text) return fallback;
  const sort = lookup(sorts, text);
  if (!sort) throw invalid('sort', `${text} is not one of ${Object.keys(sorts).join(', ')}`);
  return sort;
}

export type ProductPage = {
  current_page_no: number;
  current_record_count: number;
  total_page_no: number;
  total_record_count: number;
  products: { product: Record<string, unknown>[] };
};

/**
 * One page of products in the Open API's shape (page_no, page_size, fields, tracking_id and
 * target_currency read from the call), or null when the page holds no product.
 */
export async function searchPage(
  call: OpenApiCall,
  filter: ProductFilter,
  sort: ProductSort | undefined,
  options: { hotLinks?: boolean } = {},
): Promise<ProductPage | null> {
  const { params } = call;
  const pageNo = intParam(params, 'page_no', 1, MAX_PAGE_NO, 1);
  const pageSize = intParam(params, 'page_size', 1, MAX_SEARCH_PAGE_SIZE, 20);
  const rowParams = await parseRowParams(call);
  const { total, products } = await searchProducts(call.ctx.db, {
    ...filter,
    ...(sort ? { sort } : {}),
    limit: pageSize,
    offset: (pageNo - 1) * pageSize,
  });
  if (products.length === 0) return null;
  const rows = await productRows(call, rowParams, products, options);
  return {
    current_page_no: pageNo,
    current_record_count: rows.length,
    total_page_no: Math.min(Math.ceil(total / pageSize), MAX_PAGE_NO),
    total_record_count: total,
    products: { product: pickFields(rows, params) },
  };
}
