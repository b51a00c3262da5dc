import { z } from 'zod';
import { authenticate } from '../api/affiliate-auth.js';
import { errorResponses, minorUnits } from '../api/schemas.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { decodeCursor, encodeCursor } from '../lib/cursor.js';
import { bigintToJson } from '../lib/json.js';
import type { App } from '../server.js';
import { productRates } from './product-rates.js';
import {
  MAX_SEARCH_OFFSET,
  MAX_SEARCH_PAGE_SIZE,
  productSorts,
  type SearchedProduct,
  searchProducts,
} from './search-products.js';

const product = z
  .object({
    product_id: z.string(),
    title: z.string(),
    url: z.string(),
    price_minor: minorUnits,
    currency: z.string(),
    category_id: z.string(),
    store_id: z.string(),
    store_name: z.string(),
    image_urls: z.array(z.string()),
    sales_volume: z.number().int(),
    commission_rate_bp: z.number().int(),
    hot_commission_rate_bp: z.number().int().nullable(),
    rate_explanation: z.string(),
  })
  .meta({ id: 'Product' });
const isOffset = (v: unknown): v is { offset: number } =>
  typeof v === 'object' &&
  v !== null &&
  Number.isInteger((v as { offset: unknown }).offset) &&
  (v as { offset: number }).offset >= 0;

async function present(ctx: Ctx, products: readonly SearchedProduct[]) {
  const rates = await productRates(
    ctx,
    products.map((p) => p.productId),
    ctx.clock.now(),
  );
  return products.map((p) => {
    const rate = rates.get(p.productId);
    return {
      product_id: p.productId,
      title: p.title,
      url: p.url,
      price_minor: bigintToJson(p.priceMinor),
      currency: p.currency,
      category_id: p.categoryId,
      store_id: p.storeId,
      store_name: p.storeName,
      image_urls: [...p.imageUrls],
      sales_volume: Number(p.salesVolume),
      commission_rate_bp: rate?.rateBp ?? 0,
      hot_commission_rate_bp: rate?.hotBp ?? null,
      rate_explanation: rate?.explanation ?? '',
    };
  });
}

/** A price filter past the database's 64-bit integers failed the query (a 500): refused instead. */
const MAX_PRICE_MINOR = 2n ** 63n - 1n;

/** The catalog as an affiliate browses it: products with the commission rate in force now. */
export function productRoutes(app: App, ctx: Ctx): void {
  // GET /api/v1/products — search the catalog, with each product's commission rate now
  app.get(
    '/api/v1/products',
    {
      schema: {
        summary: 'Search products',
        description:
          'Title words, a category (and everything below it), a price range in minor units, hot products only; sorted by price or sales volume. `cursor` is the previous page’s `next_cursor`.',
        tags: ['products'],
        querystring: z.object({
          q: z.string().trim().max(200).optional(),
          category_id: z.string().max(64).optional(),
          min_price: z.coerce.bigint().nonnegative().max(MAX_PRICE_MINOR).optional(),
          max_price: z.coerce.bigint().nonnegative().max(MAX_PRICE_MINOR).optional(),
          hot: z.enum(['true', 'false']).optional(),
          sort: z.enum(productSorts).optional(),
          cursor: z.string().max(512).optional(),
          limit: z.coerce.number().int().min(1).max(MAX_SEARCH_PAGE_SIZE).default(20),
        }),
        response: {
          200: z.object({
            products: z.array(product),
            total: z.number().int(),
            next_cursor: z.string().nullable(),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      await authenticate(ctx, request, 'products:read');
      const q = request.query;
      const offset = q.cursor ? decodeCursor(q.cursor, isOffset).offset : 0;
      if (offset > MAX_SEARCH_OFFSET)
        throw new AppError('invalid_request', `cursor: at most ${MAX_SEARCH_OFFSET} products deep`);
      const { total, products } = await searchProducts(ctx.db, {
        ...(q.q ? { keywords: q.q } : {}),
        ...(q.category_id ? { categoryIds: [q.category_id] } : {}),
        ...(q.min_price !== undefined ? { minPriceMinor: q.min_price } : {}),
        ...(q.max_price !== undefined ? { maxPriceMinor: q.max_price } : {}),
        ...(q.hot === 'true' ? { hotAt: ctx.clock.now() } : {}),
        ...(q.sort ? { sort: q.sort } : {}),
        limit: q.limit,
        offset,
      });
      const next = offset + products.length;
      return {
        products: await present(ctx, products),
        total,
        next_cursor:
          next < total && next <= MAX_SEARCH_OFFSET ? encodeCursor({ offset: next }) : null,
      };
    },
  );

  // GET /api/v1/products/:id — one product, with its commission rate now
  app.get(
    '/api/v1/products/:id',
    {
      schema: {
        summary: 'One product',
        tags: ['products'],
        params: z.object({ id: z.string().max(64) }),
        response: { 200: product, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      await authenticate(ctx, request, 'products:read');
      const { products } = await searchProducts(ctx.db, {
        productIds: [request.params.id],
        limit: 1,
        offset: 0,
      });
      if (products.length === 0)
        throw new AppError('product_not_found', `no product ${request.params.id}`);
      return (await present(ctx, products))[0];
    },
  );
}
