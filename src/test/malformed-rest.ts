import fc from 'fast-check';
import { z } from 'zod';
import { eventDataSchemas, eventTypes, merchantEvent } from '../orders/schema.js';
import { BODY_LIMIT_BYTES } from '../server.js';
import { BIG_ARRAY, jsonText } from './malformed.js';
import { anyBody, type Body, brokenJsonBody } from './malformed-bodies.js';
import {
  headerText,
  type Operation,
  pathOf,
  pathSegment,
  queryString,
  type RequestSpec,
} from './malformed-requests.js';
import { breakValue, type JsonSchema } from './malformed-schema.js';

/** What the REST fuzz knows of its world: credentials to get past the door, real ids for GETs. */
export type RestWorld = {
  affiliateKey: string;
  operatorToken: string;
  /** A seller API key (`slk_…`) for `/api/seller/v1`. */
  sellerKey: string;
  /** Signs a merchant body as the marketplace would, now (`stale`: 301 s ago). */
  signMerchant(body: string, options?: { stale?: boolean; secret?: string }): string;
  realIds: readonly string[];
  words: readonly string[];
  /** The seller's store, products and key ids: words for seller routes only (the others' requests stay as they were). */
  sellerWords: readonly string[];
};

/** Query names routes read, besides their own: so unknown and misplaced ones are sent too. */
const OTHER_QUERY_NAMES = ['limit', 'cursor', 'after', 'before', 'from', 'to', 'id', 'page'];
const MERCHANT_LIMIT_BYTES = 4 * 1024 * 1024;

/** Authorization headers: none, malformed, someone else's kind of credential, or the right one. */
function authHeaders(op: Operation, w: RestWorld): fc.Arbitrary<Record<string, string>> {
  const operator = op.path.startsWith('/api/operator/');
  const seller = op.path.startsWith('/api/seller/');
  const right = operator ? w.operatorToken : seller ? w.sellerKey : w.affiliateKey;
  const other = operator || seller ? w.affiliateKey : w.operatorToken;
  const malformed = fc.oneof(
    fc.constantFrom(
      'Bearer',
      'Bearer ',
      `bearer ${right}`,
      `Bearer  ${right}`,
      `Bearer ${right}x`,
      `Bearer ${right.slice(0, -1)}`,
      right,
      `Basic ${Buffer.from('user:pass').toString('base64')}`,
      `Bearer ${'a'.repeat(101)}`,
      `Bearer afk_${'A'.repeat(43)}`,
      `Bearer aop_${'A'.repeat(43)}`,
    ),
    headerText().map((t) => `Bearer ${t}`),
    headerText(),
  );
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant({ authorization: `Bearer ${right}` }) },
    { weight: 1, arbitrary: fc.constant({}) },
    { weight: 2, arbitrary: malformed.map((authorization) => ({ authorization })) },
    { weight: 1, arbitrary: fc.constant({ authorization: `Bearer ${other}` }) },
  );
}

const toJsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
const envelopeSchema = toJsonSchema(merchantEvent);
const dataSchemas = Object.fromEntries(
  eventTypes.map((type) => [type, toJsonSchema(eventDataSchemas[type])]),
) as Record<string, JsonSchema>;

/** One merchant event its schema certainly refuses: a broken envelope, or broken data. */
function brokenEvent(words: readonly string[]): fc.Arbitrary<unknown> {
  const envelope = breakValue(envelopeSchema, words) as fc.Arbitrary<unknown>;
  const badData = eventTypes.map((type) =>
    fc.record({
      id: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,40}$/),
      type: fc.constant(type),
      created_at: fc.constant('2026-03-01T12:00:00.000Z'),
      data: breakValue(dataSchemas[type] as JsonSchema, words) as fc.Arbitrary<unknown>,
    }),
  );
  return fc.oneof({ weight: badData.length, arbitrary: envelope }, ...badData);
}

/** Merchant bodies that are refused whoever signs them: not JSON, broken events, broken batches. */
function brokenMerchantBody(words: readonly string[]): fc.Arbitrary<Body> {
  const json = 'application/json';
  // Not a list of 1 to 500 events: another type, empty, one too many, 100,000 items.
  const notAList = fc.constantFrom<unknown>(
    null,
    'x',
    {},
    [],
    Array.from({ length: 501 }, () => ({})),
    BIG_ARRAY,
  );
  return fc.oneof(
    {
      weight: 4,
      arbitrary: brokenEvent(words).map((e) => ({
        contentType: json,
        payload: jsonText(e),
        breaks: 'event',
      })),
    },
    {
      weight: 3,
      arbitrary: fc
        .array(brokenEvent(words), { minLength: 1, maxLength: 4 })
        .map((events) => ({ contentType: json, payload: jsonText({ events }), breaks: 'batch' })),
    },
    {
      weight: 1,
      arbitrary: notAList.map((events) => ({
        contentType: json,
        payload: jsonText({ events }),
        breaks: 'events list',
      })),
    },
    { weight: 3, arbitrary: brokenJsonBody(envelopeSchema, MERCHANT_LIMIT_BYTES, words) },
  );
}

/** The merchant route: mostly signed (so the body's checks are reached), else a bad signature. */
function merchantRequest(op: Operation, w: RestWorld): fc.Arbitrary<Partial<RequestSpec>> {
  const body = brokenMerchantBody(w.words);
  const text = (b: Body) =>
    Buffer.isBuffer(b.payload) ? b.payload.toString('utf8') : String(b.payload);
  const signature = fc.oneof(
    { weight: 6, arbitrary: fc.constant((b: Body) => w.signMerchant(text(b))) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        (b: Body) => w.signMerchant(text(b), { stale: true }),
        (b: Body) => w.signMerchant(text(b), { secret: 'msk_not_ours' }),
        (b: Body) => w.signMerchant(`${text(b)} `),
      ),
    },
    { weight: 1, arbitrary: headerText().map((h) => () => h) },
  );
  return fc.tuple(body, signature).map(([b, sign]) => ({
    method: op.method,
    headers: {
      ...(b.contentType ? { 'content-type': b.contentType } : {}),
      ...(sign ? { 'affnet-signature': sign(b) } : {}),
    },
    payload: b.payload,
    breaks: `body: ${b.breaks}`,
  }));
}

/**
 * Malformed requests for one REST operation. A GET may be answered 200 (it writes nothing);
 * every other request carries a certain break — a body its schema refuses, or a path id that
 * names nothing (real ids are used for GETs only) — so it must be refused.
 */
export function restRequests(op: Operation, world: RestWorld): fc.Arbitrary<RequestSpec> {
  const w = op.path.startsWith('/api/seller/')
    ? { ...world, words: [...world.words, ...world.sellerWords] }
    : world;
  const get = op.method === 'GET';
  const path = pathOf(op, () => pathSegment(get ? w.realIds : []));
  const query = queryString(
    op.params.filter((p) => p.in === 'query'),
    OTHER_QUERY_NAMES,
    w.words,
  );
  const extraHeaders = fc.record(
    {
      'idempotency-key': headerText(w.words),
      accept: fc.constantFrom('*/*', 'text/html', 'application/xml', ''),
      cookie: headerText(),
      'x-forwarded-for': fc.constantFrom('::1', '999.1.1.1', 'x', ''),
    },
    { requiredKeys: [] },
  );
  const hasPathParams = op.path.includes('{');
  const part: fc.Arbitrary<Partial<RequestSpec>> =
    op.path === '/api/merchant/v1/events'
      ? merchantRequest(op, w)
      : fc.tuple(authHeaders(op, w), bodyOf(op, w)).map(([auth, b]) => ({
          headers: { ...auth, ...(b?.contentType ? { 'content-type': b.contentType } : {}) },
          ...(b ? { payload: b.payload } : {}),
          breaks: b?.breaks || (hasPathParams ? 'a path id that names nothing' : ''),
        }));
  return fc.tuple(path, query, extraHeaders, part).map(([p, q, extra, r]) => ({
    method: op.method,
    url: `${p}${q}`,
    headers: { ...extra, ...r.headers },
    ...(r.payload === undefined ? {} : { payload: r.payload }),
    breaks: get ? '' : (r.breaks ?? ''),
  }));
}

function bodyOf(op: Operation, w: RestWorld): fc.Arbitrary<Body | undefined> {
  if (op.csv)
    return fc.oneof(
      { weight: 4, arbitrary: brokenCsvBody(w.words) },
      { weight: 1, arbitrary: anyBody(w.words) },
    );
  if (op.body) return brokenJsonBody(op.body, BODY_LIMIT_BYTES, w.words);
  if (op.method === 'GET')
    return fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: anyBody() },
    );
  if (!op.path.includes('{'))
    throw new Error(`${op.method} ${op.path}: no body schema and no path id to break`);
  return anyBody(w.words);
}

const CSV_CELL = /^[A-Za-z0-9._:/ -]{0,24}$/;
const CSV_HEADER = 'product_id,rate_bp,effective_from';

/**
 * CSV files a rates import certainly refuses, sent as text/csv: a missing or wrong header, or
 * among rows of any kind one whose rate is not whole basis points from 0 to 10000.
 */
function brokenCsvBody(words: readonly string[]): fc.Arbitrary<Body> {
  const safeWords = words.filter((x) => CSV_CELL.test(x));
  const cell = fc.oneof(
    fc.stringMatching(CSV_CELL),
    ...(safeWords.length ? [fc.constantFrom(...safeWords)] : []),
  );
  const row = fc.array(cell, { minLength: 0, maxLength: 5 }).map((cells) => cells.join(','));
  const badRate = fc.constantFrom('-1', '12.5', '10001', 'abc', '5%', '1e3', '');
  const badRow = fc.tuple(cell, badRate, cell).map((cells) => cells.join(','));
  const header = fc.constantFrom(CSV_HEADER, `${CSV_HEADER.toUpperCase()}`, ` ${CSV_HEADER}`);
  const withBadRow = fc
    .tuple(
      header,
      fc.array(row, { maxLength: 6 }),
      badRow,
      fc.nat(6),
      fc.constantFrom('\n', '\r\n'),
    )
    .map(([h, rows, bad, at, nl]) => {
      rows.splice(Math.min(at, rows.length), 0, bad);
      return { payload: [h, ...rows].join(nl), breaks: 'a rate that is not whole basis points' };
    });
  const wrongHeader = fc
    .tuple(
      fc.constantFrom('', 'product_id,rate_bp', 'rate_bp,product_id,effective_from', 'x'),
      fc.array(row, { maxLength: 4 }),
    )
    .map(([h, rows]) => ({ payload: [h, ...rows].join('\n'), breaks: 'no rates-file header' }));
  return fc
    .tuple(
      fc.oneof(withBadRow, wrongHeader),
      fc.constantFrom('text/csv', 'text/csv; charset=utf-8'),
    )
    .map(([b, contentType]) => ({ contentType, ...b }));
}
