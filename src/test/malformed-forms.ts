import fc from 'fast-check';
import { STORE_THEMES } from '../storefront/schema.js';
import { junkText } from './malformed.js';

export type Fields = Record<string, string | undefined>;
/**
 * A form's certain breaks (fields set or removed), `path` when a path id that names nothing
 * is the break, `reads` for a form that writes nothing, or `door`: a form with nothing to
 * break (it acts on the session alone), sent only without a valid session or CSRF token.
 */
export type FormSpec = {
  fields: readonly string[];
  breaks: fc.Arbitrary<Fields>[] | 'path' | 'reads' | { door: string };
};

export const formText = junkText([
  '0',
  '1',
  'DE',
  'order.paid',
  'https://shop.example/item/1.html',
]);
const nonBlank = (accept: (t: string) => boolean) =>
  formText.filter((t) => t.trim() !== '' && !accept(t.trim()));
const set = (name: string, value: fc.Arbitrary<string>) => value.map((v) => ({ [name]: v }));
const removed = (name: string) => fc.constant({ [name]: undefined });
/** Not a day a change may be dated (YYYY-MM-DD, today or later). */
const badDay = fc.oneof(
  fc.constantFrom('x', '2026-02-30', '2026-13-01', '2020-01-01', '20260401', 'tomorrow'),
  nonBlank((t) => /^[\d-]+$/.test(t)),
);
const notOneOf = (names: readonly string[]) =>
  fc.oneof(
    nonBlank((t) => names.includes(t.toLowerCase())),
    fc.constantFrom('constructor', '__proto__'),
  );
const badUrl = fc.constantFrom('', ' ', 'ftp://x.example/', 'javascript:alert(1)', 'not a url');

/** Every form of the portal and the console, and what certainly breaks it (read from its handler). */
export const FORMS: Readonly<Record<string, FormSpec>> = {
  'POST /signup': {
    fields: ['email', 'password', 'country', 'websiteUrl'],
    breaks: [set('password', fc.string({ maxLength: 9 }))],
  },
  'POST /login': {
    fields: ['email', 'password', 'next'],
    // No account has a password the generator makes: the log-in fails (and is rate-limited).
    breaks: [
      set(
        'password',
        nonBlank((t) => t.endsWith('passphrase') || t === 'a long password'),
      ),
    ],
  },
  'POST /logout': { fields: [], breaks: { door: 'ends the session: every valid post writes' } },
  'POST /links': {
    fields: ['urls', 'trackingId', 'type'],
    breaks: [removed('urls'), set('urls', fc.constantFrom('', ' ', '\n\t'))],
  },
  'POST /stores': {
    fields: ['name', 'slug', 'theme', 'trackingId', 'seoTitle', 'keywords', 'productIds'],
    breaks: [set('theme', notOneOf(STORE_THEMES)), removed('theme')],
  },
  'POST /stores/{id}': { fields: ['name', 'slug', 'theme', 'keywords'], breaks: 'path' },
  'POST /payouts/quote': { fields: ['amount'], breaks: 'reads' },
  'POST /payouts/withdraw': {
    fields: ['amountMinor', 'idempotencyKey'],
    breaks: [
      removed('idempotencyKey'),
      set(
        'idempotencyKey',
        nonBlank((t) => /^[0-9a-f-]{36}$/i.test(t)),
      ),
      set(
        'amountMinor',
        nonBlank((t) => /^\d{1,18}$/.test(t)),
      ),
    ],
  },
  'POST /payouts/bank-account': {
    fields: ['iban', 'bic', 'holderName', 'country'],
    breaks: [set('country', fc.constantFrom('', '1', '12', 'DEU', 'D1', ' '))],
  },
  'POST /settings/tracking-ids': {
    fields: ['name'],
    breaks: [
      removed('name'),
      set(
        'name',
        formText.map((t) => `${t}!${t}`),
      ),
    ],
  },
  'POST /settings/api-key': { fields: [], breaks: { door: 'issues a key: no input' } },
  'POST /settings/open-api': { fields: [], breaks: { door: 'issues credentials: no input' } },
  'POST /settings/webhooks': { fields: ['url', 'events'], breaks: [set('url', badUrl)] },
  'POST /settings/postbacks': {
    fields: ['urlTemplate', 'events', 'trackingId'],
    breaks: [set('urlTemplate', badUrl)],
  },
  'POST /settings/{kind}/{id}/delete': { fields: [], breaks: 'path' },
  'POST /console/program': {
    fields: ['minWithdrawalMinor', 'withdrawalFeeMinor', 'effectiveFrom', 'protectionDays_post'],
    breaks: [set('effectiveFrom', badDay)],
  },
  'POST /console/program/fx': {
    fields: ['currency', 'rate', 'effectiveAt'],
    breaks: [set('currency', fc.constantFrom('', 'EU', 'EURO', '€€€', '123'))],
  },
  'POST /console/affiliates/{id}/status': { fields: ['status', 'reason'], breaks: 'path' },
  'POST /console/sellers/category-rates': {
    fields: ['targetId', 'rate', 'effectiveFrom'],
    breaks: [set('effectiveFrom', badDay)],
  },
  // No seller has a junk id: each post names no one, or no seller.
  'POST /console/sellers/invite': {
    fields: ['sellerId', 'email'],
    breaks: [
      set(
        'sellerId',
        nonBlank(() => false),
      ),
      removed('sellerId'),
    ],
  },
  'POST /console/sellers/{storeId}/rates': {
    fields: ['scope', 'targetId', 'rate', 'effectiveFrom'],
    breaks: 'path',
  },
  'POST /console/sellers/{storeId}/rates/remove': { fields: ['scope', 'targetId'], breaks: 'path' },
  'POST /console/sellers/{storeId}/enrollments': {
    fields: ['enrollScope', 'enrollTarget', 'enrolled', 'enrollFrom'],
    breaks: 'path',
  },
  'POST /console/flags/{id}': { fields: ['decision', 'note'], breaks: 'path' },
  'POST /console/payouts/run': {
    fields: ['period'],
    breaks: [
      set(
        'period',
        nonBlank((t) => /^\d{4}-(0[1-9]|1[0-2])$/.test(t)),
      ),
    ],
  },
  'POST /console/payouts/export': {
    fields: ['format'],
    breaks: [set('format', notOneOf(['sepa', 'csv']))],
  },
  'POST /seller/invite/{token}': { fields: ['password', 'confirm'], breaks: 'path' },
  'POST /seller/stores/{storeId}/membership': { fields: ['enrolled', 'from'], breaks: 'path' },
  'POST /seller/products/{productId}/rate': { fields: ['rate', 'effectiveFrom'], breaks: 'path' },
  'POST /seller/products/{productId}/hot-rate': { fields: ['hotRate', 'hotFrom'], breaks: 'path' },
  'POST /seller/products/{productId}/enrollment': {
    fields: ['enrolled', 'enrollFrom'],
    breaks: 'path',
  },
  'POST /seller/stores/{storeId}/rate': { fields: ['rate', 'effectiveFrom'], breaks: 'path' },
  'POST /seller/stores/{storeId}/category-rate': {
    fields: ['categoryId', 'rate', 'effectiveFrom'],
    breaks: 'path',
  },
  'POST /seller/stores/{storeId}/category-enrollment': {
    fields: ['categoryId', 'enrolled', 'enrollFrom'],
    breaks: 'path',
  },
  'POST /seller/import/preview': { fields: ['rates'], breaks: 'reads' },
  'POST /seller/import/apply': {
    fields: ['rates'],
    breaks: [
      set(
        'rates',
        nonBlank((t) => t.startsWith('product_id')),
      ),
    ],
  },
  'POST /seller/api-keys': { fields: [], breaks: { door: 'issues a key: no input' } },
  'POST /seller/api-keys/{id}/revoke': { fields: [], breaks: 'path' },
  'POST /console/payouts/results': {
    fields: [],
    breaks: [
      set(
        'results',
        nonBlank((t) => t.startsWith('end_to_end_id')),
      ),
    ],
  },
};
