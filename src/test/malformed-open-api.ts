import fc from 'fast-check';
import { PLATFORM_OFFSET_MS } from '../api/open-api/params.js';
import { isCurrencyCode } from '../currencies.js';
import { junkText } from './malformed.js';

/** What the Open API fuzz knows: the caller's credentials and real values to mix in. */
export type OpenApiWorld = {
  appKey: string;
  appSecret: string;
  now: Date;
  trackingIds: readonly string[];
  productIds: readonly string[];
  categoryIds: readonly string[];
  productUrl: string;
  subOrderIds: readonly string[];
};

/** A business parameter set to a value, or removed (`undefined`). */
export type Assignment = Record<string, string | undefined>;

/** A method's parameters: plausible values for each, and assignments that certainly break it. */
export type MethodSpec = {
  params: Record<string, fc.Arbitrary<string>>;
  /** Empty for methods whose parameters cannot be wrong (category.get, featuredpromo.get). */
  breakers: fc.Arbitrary<Assignment>[];
  /**
   * What makes a call only read, so that it may go unbroken and reach the queries (no
   * tracking_id: no links are made); absent for a method that always writes when valid.
   */
  quiet?: Assignment;
};

/** Names an object answers to without owning them: a lookup table must not take them. */
const PROTOTYPE_WORDS = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
const words = [...PROTOTYPE_WORDS, '0', '1', 'USD', 'default'];
export const text = junkText(words);
export const nonBlank = (accept: (t: string) => boolean) =>
  text.filter((t) => t.trim() !== '' && !accept(t.trim()));

/** Not a whole number from `min` to `max` (and not blank, which means the default). */
function badInt(min: number, max: number): fc.Arbitrary<string> {
  return fc.oneof(
    nonBlank((t) => /^-?\d{1,12}$/.test(t) && Number(t) >= min && Number(t) <= max),
    fc.constantFrom(' 5', '5 ', '1.5', '1e3', '0x10', '+1', '１', '9999999999999', 'NaN'),
    fc.integer({ min: max + 1, max: max + 1_000_000 }).map(String),
    fc.integer({ min: min - 1_000_000, max: min - 1 }).map(String),
  );
}

/** Not one of these names (a name the table only inherits counts as not one). */
export const notOneOf = (names: readonly string[]) =>
  fc.oneof(
    nonBlank((t) => names.includes(t)),
    fc.constantFrom(...PROTOTYPE_WORDS),
  );
const removed = (...names: string[]) =>
  fc.constant(Object.fromEntries(names.map((n) => [n, undefined])) as Assignment);
const set = (name: string, value: fc.Arbitrary<string>) =>
  value.map((v) => ({ [name]: v }) as Assignment);
const list = (item: fc.Arbitrary<string>, min: number) =>
  fc.array(item, { minLength: min, maxLength: min + 3 }).map((xs) => xs.join(','));
const tooMany = (n: number) => list(fc.constantFrom('1', 'a', 'x-1'), n + 1);

const SORTS = ['SALE_PRICE_ASC', 'SALE_PRICE_DESC', 'LAST_VOLUME_ASC', 'LAST_VOLUME_DESC'];
const HOT_SORTS = [...SORTS, 'DISCOUNT_ASC', 'DISCOUNT_DESC'];
const PROMO_SORTS = [...HOT_SORTS, 'priceAsc', 'priceDesc', 'volumeAsc', 'volumeDesc'];
const STATUSES = [
  'Payment Completed',
  'Buyer Confirmed Receipt',
  'Completed Settlement',
  'Invalid',
];
const TIME_TYPES = ['Payment Completed Time', 'Buyer Confirmed Receipt Time'];

/** A time as the platform writes it (GMT+8, yyyy-MM-dd HH:mm:ss). */
export const platformTime = (at: Date) =>
  new Date(at.getTime() + PLATFORM_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');

/** Every method's parameters and breakers, from what its code checks (src/api/open-api/methods). */
export function methodSpecs(w: OpenApiWorld): Record<string, MethodSpec> {
  const or = (...values: string[]) => fc.oneof(fc.constantFrom(...values), text);
  const page = (max: number) => or('1', '2', String(max));
  const product = {
    keywords: or('Lamp', 'lamp brass', ''),
    category_ids: or(...w.categoryIds, w.categoryIds.join(',')),
    min_sale_price: or('0', '1000'),
    max_sale_price: or('3000', '999999999999'),
    page_no: page(1000),
    page_size: page(50),
    target_currency: or('USD', 'eur'),
    tracking_id: or(...w.trackingIds),
    fields: or('product_id,commission_rate', 'nope'),
  };
  const rowBreakers = [
    set('page_no', badInt(1, 1000)),
    set('page_size', badInt(1, 50)),
    set(
      'target_currency',
      nonBlank((t) => isCurrencyCode(t.toUpperCase())),
    ),
    set(
      'tracking_id',
      nonBlank((t) => w.trackingIds.includes(t)),
    ),
  ];
  const noLinks = { tracking_id: undefined };
  const search = (sorts: string[]) => ({
    quiet: noLinks,
    params: { ...product, sort: or(...sorts) },
    breakers: [
      ...rowBreakers,
      set('sort', notOneOf(sorts)),
      set(
        'keywords',
        fc.nat(300).map((n) => `k${'x'.repeat(200 + n)}`),
      ),
      set('category_ids', tooMany(50)),
      set('min_sale_price', badInt(0, 999_999_999_999)),
      set('max_sale_price', badInt(0, 999_999_999_999)),
    ],
  });
  const hour = 3_600_000;
  const orders = {
    start_time: or(platformTime(new Date(w.now.getTime() - hour)), '2026-02-30 00:00:00'),
    end_time: or(platformTime(new Date(w.now.getTime() + hour))),
    status: or(...STATUSES),
    time_type: or(...TIME_TYPES),
    page_size: page(50),
    fields: or('order_id,paid_amount', 'nope'),
  };
  const badTime = nonBlank((t) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(t));
  const orderBreakers = [
    removed('start_time'),
    removed('end_time'),
    removed('status'),
    set('start_time', badTime),
    set('end_time', badTime),
    fc.constant({ start_time: '2026-03-02 00:00:00', end_time: '2026-03-01 00:00:00' }),
    set('status', notOneOf(STATUSES)),
    set('time_type', notOneOf([...TIME_TYPES, 'Completed Settlement Time'])),
    set('page_size', badInt(1, 50)),
  ];
  return {
    'aliexpress.affiliate.link.generate': {
      params: {
        promotion_link_type: or('0', '1'),
        source_values: or(w.productUrl, `${w.productUrl},https://evil.example/x`),
        tracking_id: or(...w.trackingIds),
      },
      breakers: [
        set('promotion_link_type', notOneOf(['0', '1'])),
        removed('promotion_link_type'),
        removed('source_values'),
        set('source_values', tooMany(50)),
        removed('tracking_id'),
        set(
          'tracking_id',
          nonBlank((t) => w.trackingIds.includes(t)),
        ),
      ],
    },
    'aliexpress.affiliate.product.query': search(SORTS),
    'aliexpress.affiliate.hotproduct.query': search(HOT_SORTS),
    'aliexpress.affiliate.productdetail.get': {
      quiet: noLinks,
      params: { product_ids: or(...w.productIds, w.productIds.join(',')), ...product },
      breakers: [removed('product_ids'), set('product_ids', tooMany(50)), ...rowBreakers.slice(2)],
    },
    'aliexpress.affiliate.category.get': { params: { fields: text }, breakers: [], quiet: {} },
    'aliexpress.affiliate.featuredpromo.get': { params: { fields: text }, breakers: [], quiet: {} },
    'aliexpress.affiliate.featuredpromo.products.get': {
      quiet: noLinks,
      params: {
        ...product,
        promotion_name: or('Hot Product', 'Best Sellers'),
        category_id: or(...w.categoryIds),
        sort: or(...PROMO_SORTS),
      },
      breakers: [
        removed('promotion_name'),
        set('promotion_name', notOneOf(['Hot Product', 'Best Sellers'])),
        set('sort', notOneOf(PROMO_SORTS)),
        ...rowBreakers,
      ],
    },
    'aliexpress.affiliate.order.list': {
      quiet: {},
      params: { ...orders, page_no: page(100) },
      breakers: [
        ...orderBreakers,
        set('page_no', badInt(1, 1_000_000)),
        fc.constant({ page_no: '5000', page_size: '50' }),
      ],
    },
    'aliexpress.affiliate.order.listbyindex': {
      quiet: {},
      params: { ...orders, start_query_index_id: or(...w.subOrderIds) },
      breakers: [...orderBreakers, set('start_query_index_id', fc.constant('i'.repeat(65)))],
    },
    'aliexpress.affiliate.order.get': {
      quiet: {},
      params: { order_ids: or(...w.subOrderIds, w.subOrderIds.join(',')), fields: text },
      breakers: [removed('order_ids'), set('order_ids', tooMany(50))],
    },
  };
}
