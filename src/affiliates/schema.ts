import { z } from 'zod';
import { email, password } from '../auth/schema.js';
import { countryCode } from '../catalog/schema.js';

export const affiliateStatuses = ['pending', 'approved', 'suspended', 'banned'] as const;
export type AffiliateStatus = (typeof affiliateStatuses)[number];

export const websiteUrl = z
  .string()
  .trim()
  .max(2048)
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL of your website or app' }));

export const signUpInput = z
  .object({
    email,
    /** Optional only for accounts an operator creates; the portal always asks for one. */
    password: password.optional(),
    country: countryCode,
    websiteUrl,
  })
  .strict();
export type SignUpInput = z.input<typeof signUpInput>;

export const trackingIdName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, 'tracking ids are 1–40 letters, digits, _ or -');

export type Affiliate = {
  id: string;
  userId: string;
  email: string;
  country: string;
  websiteUrl: string;
  status: AffiliateStatus;
  statusReason: string | null;
  createdAt: string;
};
