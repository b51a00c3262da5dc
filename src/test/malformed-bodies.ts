import fc from 'fast-check';
import { BIG_ARRAY, DEEP_ARRAY, jsonText, junkText } from './malformed.js';
import { breakValue, type JsonSchema, noise, typesOf } from './malformed-schema.js';

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
