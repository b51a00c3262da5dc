import { checkMarketplaceUrl } from '../catalog/check-marketplace-url.js';
import type { Product } from '../catalog/schema.js';
import type { Ctx } from '../context.js';
import { isAppError } from '../errors.js';
import { getSettings } from '../settings/get-settings.js';
import { createLinks } from '../tracking/create-links.js';
import { MAX_LINKS_PER_CALL } from '../tracking/schema.js';
import type { Storefront } from './schema.js';

/** The most products one call links: a page, or an export in rounds of 50. */
const MAX_LINKED = 10_000;

/**
 * The tracked link (`<baseUrl>/c/<code>`) of each product under the store's tracking id, by
 * product id: the affiliate's existing link for that URL and tracking id when there is one,
 * else a new one, 50 URLs per call. A product whose URL is no longer on a marketplace
 * domain gets no link (and the store shows no buy button for it) rather than failing the page.
 */
export async function storeLinks(
  ctx: Ctx,
  store: Storefront,
  products: readonly Pick<Product, 'productId' | 'url'>[],
  baseUrl: string,
): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  if (products.length === 0) return links;
  if (products.length > MAX_LINKED) throw new RangeError(`at most ${MAX_LINKED} products`);
  const { marketplaceDomains } = await getSettings(ctx.db, ctx.clock.now());
  const urlOf = new Map<string, string[]>();
  for (const product of products) {
    try {
      const url = checkMarketplaceUrl(product.url, marketplaceDomains);
      urlOf.set(url, [...(urlOf.get(url) ?? []), product.productId]);
    } catch (error) {
      if (!isAppError(error)) throw error;
    }
  }
  const urls = [...urlOf.keys()];
  for (let i = 0; i < urls.length; i += MAX_LINKS_PER_CALL) {
    const batch = urls.slice(i, i + MAX_LINKS_PER_CALL);
    const made = await createLinks(
      ctx,
      { affiliateId: store.affiliateId, urls: batch, trackingId: store.trackingId, type: 'normal' },
      baseUrl,
    );
    made.forEach((link, k) => {
      if (link.status !== 'active') return;
      for (const productId of urlOf.get(batch[k] as string) ?? [])
        links.set(productId, link.promotionLink);
    });
  }
  return links;
}
