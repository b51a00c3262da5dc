import type { OpenApiMethod } from '../method.js';
import { categoryGet } from './category-get.js';
import { featuredPromoGet, featuredPromoProductsGet } from './featured-promo.js';
import { linkGenerate } from './link-generate.js';
import { orderGet, orderList, orderListByIndex } from './order-list.js';
import { productDetailGet } from './product-detail.js';
import { hotProductQuery, productQuery } from './product-query.js';

/** Every business method the gateway answers, by name. */
export const openApiMethods: ReadonlyMap<string, OpenApiMethod> = new Map(
  [
    linkGenerate,
    productQuery,
    hotProductQuery,
    productDetailGet,
    categoryGet,
    featuredPromoGet,
    featuredPromoProductsGet,
    orderList,
    orderGet,
    orderListByIndex,
  ].map((m) => [m.name, m]),
);
