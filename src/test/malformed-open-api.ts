import fc from 'fast-check';
import { PLATFORM_OFFSET_MS } from '../api/open-api/params.js';
import { openApiSignature, SIGN_METHODS, type SignMethod } from '../api/open-api/sign.js';
import { isCurrencyCode } from '../currencies.js';
import { junkText, wellFormed } from './malformed.js';

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

type Params = Record<string, string>;
/** A business parameter set to a value, or removed (`undefined`). */
type Assignment = Record<string, string | undefined>;

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
const text = junkText(words);
const nonBlank = (accept: (t: string) => boolean) =>
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
const notOneOf = (names: readonly string[]) =>
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

/** A signed call: the system parameters, business ones, and how the request carries them. */
export type OpenApiCall = {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  payload?: string;
  breaks: string;
};

/** Sends parameters by GET, by a form POST, or split between the query and the body. */
function carry(params: Params, how: 'get' | 'post' | 'split', breaks: string): OpenApiCall {
  const pairs = Object.entries(params);
  const query = new URLSearchParams(
    how === 'post' ? [] : how === 'get' ? pairs : pairs.slice(0, 3),
  );
  const body = new URLSearchParams(how === 'get' ? [] : how === 'post' ? pairs : pairs.slice(3));
  return {
    method: how === 'get' ? 'GET' : 'POST',
    url: `/sync${query.size > 0 ? `?${query}` : ''}`,
    headers: how === 'get' ? {} : { 'content-type': 'application/x-www-form-urlencoded' },
    ...(how === 'get' ? {} : { payload: body.toString() }),
    breaks,
  };
}

function systemParams(w: OpenApiWorld, method: string, signMethod: SignMethod): Params {
  return {
    app_key: w.appKey,
    method,
    timestamp: String(w.now.getTime()),
    sign_method: signMethod,
    format: 'json',
    v: '2.0',
  };
}

function sign(params: Params, secret: string, signMethod: SignMethod): Params {
  return { ...params, sign: openApiSignature(params, secret, signMethod) };
}

/**
 * Correctly signed calls of one method whose business parameters are generated: junk for
 * unknown names, plausible or junk values for the method's own, and one breaker — or, now
 * and then for a method that can be made to only read, none (`breaks` is then empty).
 */
export function methodCalls(w: OpenApiWorld, name: string, spec: MethodSpec) {
  const known = fc.record(spec.params, { requiredKeys: [] });
  const unknown = fc.dictionary(
    text.filter((k) => k !== '' && !(k in spec.params) && k !== 'sign'),
    text,
    { maxKeys: 3 },
  );
  const broken = spec.breakers.map((arbitrary) => ({
    weight: 3,
    arbitrary: arbitrary.map((b) => ({ b, label: JSON.stringify(b).slice(0, 200) })),
  }));
  // About one call in four unbroken, where the method allows it.
  const quietWeight = Math.max(1, spec.breakers.length);
  const quiet = spec.quiet
    ? [{ weight: quietWeight, arbitrary: fc.constant({ b: spec.quiet, label: '' }) }]
    : [];
  const breaker = fc.oneof(...broken, ...quiet);
  return fc
    .tuple(
      known,
      unknown,
      breaker,
      fc.constantFrom(...SIGN_METHODS),
      fc.constantFrom('get', 'post', 'split') as fc.Arbitrary<'get' | 'post' | 'split'>,
    )
    .map(([k, u, { b, label }, signMethod, how]) => {
      const business: Params = {};
      for (const [key, value] of Object.entries({ ...u, ...k, ...b }))
        if (value !== undefined) business[wellFormed(key)] = wellFormed(value);
      const params = sign(
        { ...business, ...systemParams(w, name, signMethod) },
        w.appSecret,
        signMethod,
      );
      return carry(params, how, label);
    });
}

/**
 * Calls whose envelope is wrong: a system parameter missing, an unknown method or
 * sign_method, a timestamp malformed or out of the window, an unknown app_key, a bad
 * signature. Each is refused before any method runs.
 */
export function brokenEnvelopes(w: OpenApiWorld, methods: readonly string[]) {
  const hours = (h: number) => new Date(w.now.getTime() + h * 3_600_000);
  const cases: fc.Arbitrary<{ params: Params; breaks: string; resign: boolean }>[] = [
    fc
      .constantFrom('method', 'app_key', 'timestamp', 'sign')
      .map((n) => ({ params: { [n]: '' }, breaks: `no ${n}`, resign: n !== 'sign' })),
    notOneOf(methods).map((m) => ({
      params: { method: m },
      breaks: 'unknown method',
      resign: true,
    })),
    notOneOf([...SIGN_METHODS]).map((s) => ({
      params: { sign_method: s },
      breaks: 'unknown sign_method',
      resign: false,
    })),
    fc
      .oneof(
        fc.constantFrom(
          platformTime(hours(2.01)),
          platformTime(hours(-2.01)),
          String(hours(3).getTime()),
          String(hours(-48).getTime()),
          '2026-02-30 12:00:00',
          '2026-03-01T12:00:00Z',
          '1772366400',
          '17723664000000',
        ),
        nonBlank((t) => /^\d{13}$/.test(t)),
      )
      .map((timestamp) => ({ params: { timestamp }, breaks: 'timestamp', resign: true })),
    nonBlank((k) => k === w.appKey).map((app_key) => ({
      params: { app_key },
      breaks: 'unknown app_key',
      resign: true,
    })),
    fc
      .oneof(
        fc.string({ unit: fc.constantFrom(...'0123456789ABCDEF'), minLength: 32, maxLength: 64 }),
        text,
        fc.constant('0'.repeat(32)),
      )
      .map((sign) => ({ params: { sign }, breaks: 'bad signature', resign: false })),
    fc.constant({ params: {}, breaks: 'signed with another secret', resign: false }),
  ];
  return fc
    .tuple(
      fc.oneof(...cases),
      fc.constantFrom(...methods),
      fc.constantFrom(...SIGN_METHODS),
      fc.constantFrom('get', 'post', 'split') as fc.Arbitrary<'get' | 'post' | 'split'>,
    )
    .map(([c, method, signMethod, how]) => {
      const base = { ...systemParams(w, method, signMethod), ...c.params };
      const secret = c.breaks === 'signed with another secret' ? 'not-the-secret' : w.appSecret;
      let params = sign(base, secret, signMethod);
      if (!c.resign && 'sign' in c.params) params = { ...params, sign: c.params.sign as string };
      if (c.params.sign_method) params = sign(base, secret, 'md5');
      for (const [k, v] of Object.entries(c.params)) if (v === '') delete params[k];
      return carry(params, how, c.breaks);
    });
}
