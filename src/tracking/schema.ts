import { z } from 'zod';
import { trackingIdName } from '../affiliates/schema.js';

export const MAX_LINKS_PER_CALL = 50;
export const linkTypes = ['normal', 'hot'] as const;
export type LinkType = (typeof linkTypes)[number];

export const createLinksInput = z
  .object({
    affiliateId: z.string().min(1).max(64),
    urls: z
      .array(z.string().trim().min(1).max(2048))
      .min(1)
      .max(MAX_LINKS_PER_CALL, `at most ${MAX_LINKS_PER_CALL} URLs per call`),
    trackingId: trackingIdName.default('default'),
    type: z.enum(linkTypes).default('normal'),
  })
  .strict();
export type CreateLinksInput = z.input<typeof createLinksInput>;

export type Link = {
  id: string;
  code: string;
  promotionLink: string;
  url: string;
  kind: 'product' | 'store' | 'search' | 'page';
  productId: string | null;
  type: LinkType;
  trackingId: string;
  status: 'active' | 'disabled';
};
