import fc from 'fast-check';

/**
 * JSON text written as is: what JSON.stringify cannot write (1e309, 2^64 as a literal) and
 * what is too big to build per run (10,000 levels deep, 100,000 items), shown by its label.
 */
export class RawJson {
  constructor(
    readonly text: string,
    readonly label: string,
  ) {}
  [fc.toStringMethod](): string {
    return `RawJson(${this.label})`;
  }
}

const DEPTH = 10_000;
export const DEEP_ARRAY = new RawJson(
  `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`,
  'arrays 10,000 deep',
);
export const DEEP_OBJECT = new RawJson(
  `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`,
  'objects 10,000 deep',
);
export const BIG_ARRAY = new RawJson(`[${'"x",'.repeat(99_999)}"x"]`, '100,000 items');
/** Numbers past what a route can hold: JSON.parse reads them as Infinity, 0, or inexact. */
export const ODD_NUMBERS = [
  '1e309',
  '-1e309',
  '18446744073709551616',
  '-9223372036854775809',
  '1e20',
];
export const raw = (text: string) => new RawJson(text, text);

/** Strings a client should never send: empty, blank, NUL, bidi marks, lone surrogates, markup, huge. */
export const ODD_STRINGS = [
  '',
  ' ',
  '\t\r\n',
  '0',
  '-1',
  '1.5',
  '1e309',
  'NaN',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '.',
  '..',
  '../../etc/passwd',
  '%00',
  '%',
  '\u0000',
  'a\u0000b',
  '\uFEFF',
  '\u202Eevil',
  '\uD800',
  '\uDFFFx',
  '😀',
  'Zoë Müller',
  'İı',
  'ß',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as it is
  '${7*7}',
  '__proto__',
  'constructor',
  '%s%n%x',
  'https://evil.example/',
  'javascript:alert(1)',
  'x'.repeat(257),
  'é'.repeat(2000),
];

/** Huge strings are made once (100 kB; bodies past their limit are made by the body generators). */
const HUGE_STRINGS = ['x'.repeat(100_000), '€'.repeat(40_000)];

// Made once and shared: a string arbitrary builds a table of its characters when first used
// (for every code point, `unit: 'binary'`, that took a second), so code points are drawn as numbers.
const PRINTABLE = fc.string({ maxLength: 30 });
const ANY_CODE_POINTS = fc
  .array(fc.nat(0x10ffff), { maxLength: 60 })
  .map((points) => String.fromCodePoint(...points));
const GRAPHEMES = fc.string({ unit: 'grapheme', maxLength: 20 });

/** Any text, odd text more often than not; huge now and then (not in headers: `huge: false`). */
export function junkText(
  words: readonly string[] = [],
  options: { huge?: boolean } = {},
): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 50, arbitrary: PRINTABLE },
    { weight: 25, arbitrary: ANY_CODE_POINTS },
    { weight: 12, arbitrary: GRAPHEMES },
    { weight: 50, arbitrary: fc.constantFrom(...ODD_STRINGS, ...words) },
    // Rare: a body has several strings, and huge ones cost more than the rest put together.
    { weight: options.huge === false ? 0 : 1, arbitrary: fc.constantFrom(...HUGE_STRINGS) },
  );
}

/** One JSON scalar: junk text, whole and fractional numbers, odd number literals, booleans, null. */
export const scalar = (words: readonly string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: junkText(words) },
    { weight: 2, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
    { weight: 1, arbitrary: fc.constantFrom(...ODD_NUMBERS).map(raw) },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
  );

/** Any JSON value at all: scalars, small arrays and objects, and the deep and big ones. */
export function anyJson(words: readonly string[] = []): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 32, arbitrary: scalar(words) },
    { weight: 8, arbitrary: fc.array(scalar(words), { maxLength: 5 }) },
    { weight: 8, arbitrary: fc.dictionary(junkText(), scalar(words), { maxKeys: 4 }) },
    // Rare here: whole bodies of them come from brokenJsonBody.
    { weight: 1, arbitrary: fc.constantFrom(DEEP_ARRAY, DEEP_OBJECT, BIG_ARRAY) },
  );
}

/** JSON text of a generated value, RawJson pieces written as they are. */
export function jsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** The text with lone surrogates replaced, as a client's encoder would (encodeURIComponent throws). */
export function wellFormed(text: string): string {
  return text.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}
