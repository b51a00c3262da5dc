import { listTrackingIds } from '../../../affiliates/tracking-ids.js';
import { categoryLineages } from '../../../catalog/list-categories.js';
import { productRates } from '../../../catalog/product-rates.js';
import type { SearchedProduct } from '../../../catalog/search-products.js';
import { isCurrencyCode } from '../../../currencies.js';
import { createFxResolver } from '../../../fx/fx-resolver.js';
import { convertMoney, money } from '../../../money.js';
import { getSettings } from '../../../settings/get-settings.js';
import { createLinks } from '../../../tracking/create-links.js';
import { invalid } from '../errors.js';
import type { OpenApiCall } from '../method.js';

/**
 * Ids the platform writes as 16-digit numbers: ours are marketplace-chosen text. A decimal
 * id that is a safe integer goes out as a JSON number, as AliExpress clients expect;
 * anything else (letters, leading zeros, beyond 2^53) as a string, so it never changes.
 */
export function idValue(id: string): number | string {
  if (!/^(0|[1-9]\d*)$/.test(id)) return id;
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : id;
}

/** Minor units as a JSON number, or a string where a number would lose precision. */
function amount(minor: bigint): number | string {
  const n = Number(minor);
  return Number.isSafeInteger(n) ? n : minor.toString();
}

/**
 * Non-negative basis points as the platform writes rates, one decimal (700 → "7.0%",
 * 9650 → "96.5%"), or two when a second one is needed (725 → "7.25%", never rounded away).
 */
export function percent(bp: number): string {
  const cents = String(bp % 100).padStart(2, '0');
  return `${Math.trunc(bp / 100)}.${cents[1] === '0' ? cents[0] : cents}%`;
}

/** What every product method takes besides its search: checked before any query runs. */
export type RowParams = { trackingId?: string; targetCurrency?: string };

/** tracking_id must be one of the caller's; target_currency must be a currency code. */
export async function parseRowParams(call: OpenApiCall): Promise<RowParams> {
  const { params } = call;
  const out: RowParams = {};
  const target = params.target_currency?.trim().toUpperCase();
  if (target) {
    if (!isCurrencyCode(target)) throw invalid('target_currency', `${target} is not a currency`);
    out.targetCurrency = target;
  }
  const trackingId = params.tracking_id?.trim();
  if (trackingId) {
    const own = await listTrackingIds(call.ctx.db, call.affiliateId);
    if (!own.some((t) => t.name === trackingId))
      throw invalid('tracking_id', `${trackingId} is not one of your tracking ids`);
    out.trackingId = trackingId;
  }
  return out;
}

/**
 * The Open API rows of a page of products (at most 50): rates in force now from one rate
 * resolver, category names from one lineage query, tracking links from one createLinks
 * call per link type. `hotLinks`: products with a hot rate get hot links (hotproduct.query).
 */
export async function productRows(
  call: OpenApiCall,
  rowParams: RowParams,
  products: readonly SearchedProduct[],
  options: { hotLinks?: boolean } = {},
): Promise<Record<string, unknown>[]> {
  const { ctx, now } = call;
  const ids = products.map((p) => p.productId);
  const rates = await productRates(ctx, ids, now);
  const lineages = await categoryLineages(
    ctx.db,
    products.map((p) => p.categoryId),
  );
  const prices = await targetPrices(call, rowParams.targetCurrency, products);
  const links = await promotionLinks(call, rowParams.trackingId, products, (p) =>
    options.hotLinks && rates.get(p.productId)?.hotBp != null ? 'hot' : 'normal',
  );

  return products.map((p, index) => {
    const rate = rates.get(p.productId);
    const [first, second] = lineages.get(p.categoryId) ?? [];
    const price = amount(p.priceMinor);
    const target = prices[index] ?? { amount: price, currency: p.currency };
    return {
      product_id: idValue(p.productId),
      product_title: p.title,
      product_detail_url: p.url,
      product_main_image_url: p.imageUrls[0] ?? null,
      product_small_image_urls: { string: p.imageUrls },
      promotion_link: links[index] ?? null,
      sale_price: price,
      sale_price_currency: p.currency,
      original_price: price,
      original_price_currency: p.currency,
      target_sale_price: target.amount,
      target_sale_price_currency: target.currency,
      target_original_price: target.amount,
      target_original_price_currency: target.currency,
      discount: '0%',
      evaluate_rate: p.positiveFeedbackBp === null ? null : percent(p.positiveFeedbackBp),
      lastest_volume: amount(p.salesVolume),
      commission_rate: percent(rate?.rateBp ?? 0),
      hot_product_commission_rate: rate?.hotBp == null ? null : percent(rate.hotBp),
      first_level_category_id: first ? idValue(first.id) : null,
      first_level_category_name: first?.name ?? null,
      second_level_category_id: second ? idValue(second.id) : null,
      second_level_category_name: second?.name ?? null,
      shop_id: idValue(p.storeId),
      shop_url: shopUrl(p),
      shop_name: p.storeName,
      ship_to_days: null,
    };
  });
}

/**
 * Prices in target_currency: the product's own currency as it is, or the program's
 * settlement currency at the exchange rate in force now; any other currency is refused.
 */
async function targetPrices(
  call: OpenApiCall,
  target: string | undefined,
  products: readonly SearchedProduct[],
): Promise<({ amount: number | string; currency: string } | undefined)[]> {
  if (!target || products.every((p) => p.currency === target)) return [];
  const { settlementCurrency } = await getSettings(call.ctx.db, call.now);
  if (target !== settlementCurrency)
    throw invalid(
      'target_currency',
      `prices convert only into the settlement currency ${settlementCurrency}, not ${target}`,
    );
  const fx = createFxResolver(call.ctx.db);
  const out = [];
  for (const p of products) {
    const rate = await fx.rateAt(p.currency, target, call.now);
    const converted = convertMoney(money(p.priceMinor, p.currency), rate);
    out.push({ amount: amount(converted.amountMinor), currency: target });
  }
  return out;
}

/** One tracking link per product (same order), or none without a tracking id. */
async function promotionLinks(
  call: OpenApiCall,
  trackingId: string | undefined,
  products: readonly SearchedProduct[],
  typeOf: (p: SearchedProduct) => 'normal' | 'hot',
): Promise<(string | undefined)[]> {
  if (!trackingId || products.length === 0) return [];
  const byType = new Map<string, string>();
  for (const type of ['normal', 'hot'] as const) {
    const urls = [...new Set(products.filter((p) => typeOf(p) === type).map((p) => p.url))];
    if (urls.length === 0) continue;
    const links = await createLinks(
      call.ctx,
      { affiliateId: call.affiliateId, urls, trackingId, type },
      call.baseUrl,
    );
    for (const [i, link] of links.entries()) byType.set(`${type} ${urls[i]}`, link.promotionLink);
  }
  return products.map((p) => byType.get(`${typeOf(p)} ${p.url}`));
}

function shopUrl(p: SearchedProduct): string | null {
  try {
    return `${new URL(p.url).origin}/store/${encodeURIComponent(p.storeId)}`;
  } catch {
    return null;
  }
}
