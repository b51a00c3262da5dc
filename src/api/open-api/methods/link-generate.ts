import { createLinks } from '../../../tracking/create-links.js';
import { MAX_LINKS_PER_CALL } from '../../../tracking/schema.js';
import { invalid } from '../errors.js';
import type { OpenApiMethod } from '../method.js';
import { listParam, required } from '../params.js';

/**
 * aliexpress.affiliate.link.generate: tracking links for up to 50 product, store or search
 * URLs of the marketplace, for one of the caller's tracking ids; type 1 is a hot-product
 * link. The same URL again gives the same link.
 */
export const linkGenerate: OpenApiMethod = {
  name: 'aliexpress.affiliate.link.generate',
  async handle({ ctx, affiliateId, params, baseUrl }) {
    const type = required(params, 'promotion_link_type');
    if (type !== '0' && type !== '1')
      throw invalid('promotion_link_type', '0 (normal) or 1 (hot product)');
    required(params, 'source_values');
    const urls = listParam(params, 'source_values', MAX_LINKS_PER_CALL);
    const trackingId = required(params, 'tracking_id');
    const links = await createLinks(
      ctx,
      { affiliateId, urls, trackingId, type: type === '1' ? 'hot' : 'normal' },
      baseUrl,
    );
    return {
      total_result_count: links.length,
      tracking_id: trackingId,
      promotion_links: {
        promotion_link: links.map((link, i) => ({
          promotion_link: link.promotionLink,
          source_value: urls[i] ?? link.url,
        })),
      },
    };
  },
};
