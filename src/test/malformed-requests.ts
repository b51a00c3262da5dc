import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import {
  BIG_ARRAY,
  breakValue,
  DEEP_ARRAY,
  type JsonSchema,
  jsonText,
  junkText,
  noise,
  typesOf,
  wellFormed,
} from './malformed.js';

/** One operation of the OpenAPI document: its parameters and JSON body schema, refs resolved. */
export type Operation = {
  method: string;
  path: string;
  params: { in: string; name: string; required: boolean; schema: JsonSchema }[];
  body?: JsonSchema;
};

type OpenApiDoc = {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, JsonSchema> };
};
type OperationObject = {
  parameters?: { in: string; name: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
};

/** Every operation of the document (`GET /api/v1/orders/{id}` …), body schemas resolved. */
export function operationsOf(doc: OpenApiDoc): Operation[] {
  const resolve = (s: JsonSchema | undefined): JsonSchema | undefined => {
    const name = s?.$ref?.split('/').at(-1);
    return name ? doc.components?.schemas?.[name] : s;
  };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]): Operation => {
      const body = resolve(op.requestBody?.content?.['application/json']?.schema);
      return {
        method: method.toUpperCase(),
        path,
        params: (op.parameters ?? []).map((p) => ({
          in: p.in,
          name: p.name,
          required: p.required ?? false,
          schema: p.schema ?? {},
        })),
        ...(body ? { body } : {}),
      };
    }),
  );
}

export const operationName = (op: Operation) => `${op.method} ${op.path}`;

/** A generated request, and which of its parts is certainly wrong (`breaks`). */
export type RequestSpec = {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  breaks: string;
};

const shorten = (text: string) =>
  text.length > 1000 ? `${text.slice(0, 1000)}… (${text.length} chars)` : text;

/** How a failing request is printed: every part, long texts cut. */
export function describeRequest(r: RequestSpec): string {
  const payload =
    r.payload === undefined
      ? ''
      : ` body ${shorten(JSON.stringify(Buffer.isBuffer(r.payload) ? r.payload.toString('latin1') : r.payload))}`;
  return `${r.method} ${shorten(r.url)} headers ${shorten(JSON.stringify(r.headers))}${payload} [breaks: ${r.breaks}]`;
}

export function toInject(r: RequestSpec): InjectOptions {
  return {
    method: r.method as NonNullable<InjectOptions['method']>,
    url: r.url,
    headers: r.headers,
    ...(r.payload === undefined ? {} : { payload: r.payload }),
  };
}

/** Path segments that are not ids: odd bytes, broken percent-encoding, dot segments, huge, empty. */
const ODD_SEGMENTS = [
  '',
  '.',
  '..',
  '%2e%2e',
  '..%2F..%2Fetc%2Fpasswd',
  '%',
  '%%',
  '%zz',
  '%00',
  'a%00b',
  '%E0%A4%A',
  '%C0%AF',
  '%FF%FE',
  '%uD800',
  '%ED%A0%80',
  '%F0%9F%98%80',
  '%2F',
  'a%20b',
  'a b',
  'é',
  'null',
  '-1',
  '0',
  '1.5',
  '99999999999999999999',
  'a'.repeat(200),
  'a'.repeat(201),
  'a'.repeat(5000),
];

/** A path segment: percent-encoded junk, an odd one, or (when given) a real value. */
export function pathSegment(real: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 3,
      arbitrary: junkText([], { huge: false }).map((s) => encodeURIComponent(wellFormed(s))),
    },
    { weight: 3, arbitrary: fc.constantFrom(...ODD_SEGMENTS) },
    ...(real.length > 0
      ? [{ weight: 2, arbitrary: fc.constantFrom(...real).map(encodeURIComponent) }]
      : []),
  );
}

/** A query value as text: junk, odd encodings, wrong numbers, or a plausible value of the param. */
function queryValue(schema: JsonSchema, words: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 3,
      arbitrary: junkText(words, { huge: false }).map((s) => encodeURIComponent(wellFormed(s))),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '',
        '%',
        '%zz',
        '%00',
        '%E0%A4%A',
        '%FF',
        '&',
        '=',
        '==',
        '1e309',
        '-1',
        '0',
        '1.5',
        '18446744073709551616',
        'a'.repeat(300),
        'a'.repeat(10_000),
      ),
    },
    {
      weight: 3,
      arbitrary: noise(schema, words).map((v) =>
        encodeURIComponent(wellFormed(typeof v === 'string' ? v : jsonText(v).slice(0, 5000))),
      ),
    },
  );
}

/**
 * A query string: the declared parameters with odd values, repeated, and unknown ones
 * (including `__proto__`), or nothing.
 */
export function queryString(
  declared: readonly { name: string; schema: JsonSchema }[],
  extraNames: readonly string[] = [],
  words: readonly string[] = [],
): fc.Arbitrary<string> {
  const names = [...declared.map((p) => p.name), ...extraNames];
  const schemaOf = (name: string) => declared.find((p) => p.name === name)?.schema ?? {};
  const key = fc.oneof(
    ...(names.length > 0 ? [{ weight: 4, arbitrary: fc.constantFrom(...names) }] : []),
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', '', '[]', 'a[b]', '%') },
    {
      weight: 1,
      arbitrary: junkText([], { huge: false }).map((s) => encodeURIComponent(wellFormed(s))),
    },
  );
  // One arbitrary per name, built once: building them per run costs more than the request.
  const junkValue = queryValue({}, words);
  const pair = fc.oneof(
    ...names.map((name) => queryValue(schemaOf(name), words).map((v) => `${name}=${v}`)),
    key.chain((k) => junkValue.map((v) => `${k}=${v}`)),
  );
  return fc
    .array(fc.oneof({ weight: 6, arbitrary: pair }, { weight: 1, arbitrary: key }), {
      maxLength: 8,
    })
    .map((pairs) => (pairs.length > 0 ? `?${pairs.join('&')}` : ''));
}

/** Header text a client could send: latin-1 only, as Node's HTTP parser would let through. */
export function headerText(words: readonly string[] = []): fc.Arbitrary<string> {
  return junkText(words, { huge: false }).map((s) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?'));
}

/** A body: its content type (none: no header) and bytes. */
export type Body = { contentType?: string; payload: string | Buffer; breaks: string };

/** Content types a JSON route does not read as JSON (text/plain arrives as a string). */
const NOT_JSON = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  ';;;',
];
/** Bytes that are not UTF-8: lone continuation bytes, overlong forms, surrogates, a stray lead. */
const NOT_UTF8 = [[0xff], [0xfe, 0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe0, 0x80], [0x80]];

/**
 * Bodies the route's JSON schema certainly refuses: a broken value (missing field, wrong
 * type, unknown field, out of bounds…) as JSON, or cut short, or with bytes that are not
 * UTF-8 spliced in; bodies past `limitBytes`; empty bodies; JSON sent as another type.
 */
export function brokenJsonBody(
  schema: JsonSchema,
  limitBytes: number,
  words: readonly string[] = [],
): fc.Arbitrary<Body> {
  const broken = breakValue(schema, words);
  if (!broken) throw new Error(`nothing certainly breaks ${JSON.stringify(schema)}`);
  const json = 'application/json';
  const text = broken.map(jsonText);
  return fc.oneof(
    { weight: 8, arbitrary: text.map((t) => ({ contentType: json, payload: t, breaks: 'value' })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(text, fc.nat())
        .filter(([t]) => t.length > 1)
        .map(([t, n]) => ({
          contentType: json,
          payload: t.slice(0, n % t.length),
          breaks: 'value, cut short',
        })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(text, fc.nat(), fc.constantFrom(...NOT_UTF8)).map(([t, n, bytes]) => {
        const at = n % (t.length + 1);
        return {
          contentType: json,
          payload: Buffer.concat([
            Buffer.from(t.slice(0, at)),
            Buffer.from(bytes),
            Buffer.from(t.slice(at)),
          ]),
          breaks: 'value, bytes not UTF-8',
        };
      }),
    },
    ...(typesOf(schema)?.has('array')
      ? []
      : [
          {
            weight: 1,
            arbitrary: fc.constantFrom(DEEP_ARRAY, BIG_ARRAY).map((big) => ({
              contentType: json,
              payload: big.text,
              breaks: big.label,
            })),
          },
        ]),
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        { contentType: json, payload: '', breaks: 'empty body' },
        { contentType: json, payload: ' \n', breaks: 'blank body' },
        { contentType: json, payload: 'z'.repeat(limitBytes + 1), breaks: 'over the body limit' },
        {
          contentType: json,
          payload: `{"a":"${'x'.repeat(limitBytes)}"}`,
          breaks: 'over the body limit',
        },
      ),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(broken, fc.constantFrom(...NOT_JSON, undefined))
        .map(([v, contentType]) => ({
          ...(contentType ? { contentType } : {}),
          payload: jsonText(v),
          breaks: `sent as ${contentType ?? 'no content type'}`,
        })),
    },
  );
}

/** Any body at all, for routes whose wrong part is elsewhere (path, signature, session). */
export function anyBody(words: readonly string[] = []): fc.Arbitrary<Body | undefined> {
  return fc.oneof(
    fc.constant(undefined),
    noise({}, words).map((v) => ({
      contentType: 'application/json',
      payload: jsonText(v),
      breaks: '',
    })),
    fc
      .tuple(junkText(words), fc.constantFrom(...NOT_JSON, 'application/json'))
      .map(([t, contentType]) => ({ contentType, payload: t, breaks: '' })),
  );
}

/** Fills an operation's path: `{name}` → a segment from `segment`. */
export function pathOf(
  op: Operation,
  segment: (name: string) => fc.Arbitrary<string>,
): fc.Arbitrary<string> {
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  if (names.length === 0) return fc.constant(op.path);
  return fc
    .tuple(...names.map(segment))
    .map((values) => names.reduce((p, n, i) => p.replace(`{${n}}`, values[i] as string), op.path));
}
