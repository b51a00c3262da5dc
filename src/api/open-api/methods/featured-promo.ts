import { countProducts, type ProductFilter } from '../../../catalog/search-products.js';
import { invalid } from '../errors.js';
import type { OpenApiCall, OpenApiMethod } from '../method.js';
import { lookup, pickFields, required } from '../params.js';
import { HOT_SORTS, parseSort, searchPage } from './product-query.js';

/**
 * Affnet has no promotions of its own: two standing ones are read from the catalog, so that
 * clients browsing featured promos find something real.
 */
const PROMOS = {
  'Hot Product': {
    desc: 'Products paying a hot-product commission rate now',
    filter: (now: Date): ProductFilter => ({ hotAt: now }),
    hotLinks: true,
  },
  'Best Sellers': {
    desc: 'Products that have sold, most sold first',
    filter: (): ProductFilter => ({ minSalesVolume: 1n }),
    hotLinks: false,
  },
} as const;
type PromoName = keyof typeof PROMOS;

/** The platform's featured-promo sort names, besides product.query's. */
const PROMO_SORTS = {
  ...HOT_SORTS,
  priceAsc: 'price_asc',
  priceDesc: 'price_desc',
  volumeAsc: 'volume_asc',
  volumeDesc: 'volume_desc',
  discountAsc: 'volume_asc',
  discountDesc: 'volume_desc',
} as const;

/** aliexpress.affiliate.featuredpromo.get — the promos and how many products each has. */
export const featuredPromoGet: OpenApiMethod = {
  name: 'aliexpress.affiliate.featuredpromo.get',
  async handle(call) {
    const promos = [];
    for (const [name, promo] of Object.entries(PROMOS))
      promos.push({
        promo_name: name,
        promo_desc: promo.desc,
        product_num: await countProducts(call.ctx.db, promo.filter(call.now)),
      });
    return {
      current_record_count: promos.length,
      promos: { promo: pickFields(promos, call.params) },
    };
  },
};

/** aliexpress.affiliate.featuredpromo.products.get — a page of one promo's products. */
export const featuredPromoProductsGet: OpenApiMethod = {
  name: 'aliexpress.affiliate.featuredpromo.products.get',
  async handle(call: OpenApiCall) {
    const { params } = call;
    const name = required(params, 'promotion_name').trim();
    const promo = lookup<(typeof PROMOS)[PromoName]>(PROMOS, name);
    if (!promo)
      throw invalid('promotion_name', `${name} is not one of ${Object.keys(PROMOS).join(', ')}`);
    const filter = promo.filter(call.now);
    const categoryId = params.category_id?.trim();
    if (categoryId) filter.categoryIds = [categoryId];
    const sort = parseSort(params, PROMO_SORTS, 'volume_desc');
    const page = await searchPage(call, filter, sort, { hotLinks: promo.hotLinks });
    if (!page) return null;
    return {
      ...page,
      is_finished: page.current_page_no >= page.total_page_no,
    };
  },
};
