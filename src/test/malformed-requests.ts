import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { jsonText, junkText, wellFormed } from './malformed.js';
import { type JsonSchema, noise } from './malformed-schema.js';

/** One operation of the OpenAPI document: its parameters and JSON body schema, refs resolved. */
export type Operation = {
  method: string;
  path: string;
  params: { in: string; name: string; required: boolean; schema: JsonSchema }[];
  body?: JsonSchema;
  /** The body is a CSV file (`text/csv`), not JSON. */
  csv?: true;
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
        ...(op.requestBody?.content?.['text/csv'] ? { csv: true as const } : {}),
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
