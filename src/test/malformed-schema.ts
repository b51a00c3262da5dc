import fc from 'fast-check';
import {
  anyJson,
  BIG_ARRAY,
  DEEP_ARRAY,
  DEEP_OBJECT,
  junkText,
  ODD_NUMBERS,
  raw,
  scalar,
} from './malformed.js';

/** The parts of a JSON Schema (as @fastify/swagger writes the zod route schemas) read here. */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  maxLength?: number;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
};

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'null' | 'array' | 'object';

function typeOfValue(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

const branchesOf = (s: JsonSchema) => s.anyOf ?? s.oneOf;

/** The JSON types a schema accepts; undefined when it accepts anything. */
export function typesOf(s: JsonSchema): Set<JsonType> | undefined {
  const branches = branchesOf(s);
  if (branches) {
    const sets = branches.map(typesOf);
    if (sets.some((t) => t === undefined)) return undefined;
    return new Set(sets.flatMap((t) => [...(t as Set<JsonType>)]));
  }
  if (s.const !== undefined) return new Set([typeOfValue(s.const)]);
  if (s.enum) return new Set(s.enum.map(typeOfValue));
  if (s.type) return new Set([s.type].flat() as JsonType[]);
  return undefined;
}

/** Values of a JSON type the schema does not accept: always refused, whatever else it checks. */
function wrongType(s: JsonSchema, words: readonly string[]): fc.Arbitrary<unknown> | undefined {
  const types = typesOf(s);
  if (!types) return undefined;
  const numeric = types.has('number') || types.has('integer');
  const options: fc.Arbitrary<unknown>[] = [
    // No route takes an infinite number: 1e309 is Infinity to JSON.parse.
    fc.constantFrom('1e309', '-1e309').map(raw),
  ];
  if (!types.has('string')) options.push(junkText(words));
  if (!numeric) options.push(fc.integer(), fc.constantFrom(...ODD_NUMBERS).map(raw));
  if (!types.has('number'))
    options.push(
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
    );
  if (!types.has('boolean')) options.push(fc.boolean());
  if (!types.has('null')) options.push(fc.constant(null));
  if (!types.has('array')) options.push(fc.array(scalar(words), { maxLength: 3 }));
  if (!types.has('object')) options.push(fc.dictionary(junkText(), scalar(words), { maxKeys: 3 }));
  const big = [...(types.has('array') ? [] : [DEEP_ARRAY, BIG_ARRAY])];
  if (!types.has('object')) big.push(DEEP_OBJECT);
  return fc.oneof(
    ...options.map((arbitrary) => ({ weight: 8, arbitrary })),
    ...(big.length > 0 ? [{ weight: 1, arbitrary: fc.constantFrom(...big) }] : []),
  );
}

/** Numbers outside a numeric schema's bounds (the schema takes numbers only). */
function outOfBounds(s: JsonSchema): fc.Arbitrary<unknown>[] {
  const options: fc.Arbitrary<unknown>[] = [];
  const safe = (n: number) => Math.abs(n) < Number.MAX_SAFE_INTEGER - 1000;
  if (s.maximum !== undefined || s.exclusiveMaximum !== undefined) {
    const max = s.maximum ?? (s.exclusiveMaximum as number) - 1;
    options.push(fc.constantFrom('18446744073709551616', '1e20').map(raw));
    if (safe(max)) options.push(fc.integer({ min: max + 1, max: max + 1000 }));
  }
  if (s.minimum !== undefined || s.exclusiveMinimum !== undefined) {
    const min = s.minimum ?? (s.exclusiveMinimum as number) + 1;
    options.push(fc.constantFrom('-18446744073709551616', '-1e20').map(raw));
    if (safe(min)) options.push(fc.integer({ min: min - 1000, max: min - 1 }));
  }
  return options;
}

/**
 * Values the schema certainly refuses, or undefined when it refuses nothing. Only checks
 * no transform can undo count: a wrong type, a missing required field, a field a strict
 * object does not have, an array too short or too long, a number out of bounds, a value
 * outside an enum. (Lengths and patterns do not: zod may trim before it measures.)
 */
export function breakValue(
  s: JsonSchema,
  words: readonly string[] = [],
): fc.Arbitrary<unknown> | undefined {
  const options: fc.Arbitrary<unknown>[] = [];
  const wrong = wrongType(s, words);
  if (wrong) options.push(wrong);
  const branches = branchesOf(s) ?? [s];
  const types = typesOf(s);
  if (branches.every((b) => typesOf(b)?.size === 1 && typesOf(b)?.has('object')))
    options.push(...objectBreaks(branches, words));
  if (types?.size === 1 && types.has('array') && branches.length === 1)
    options.push(...arrayBreaks(s, words));
  const numericBranches = branches.filter((b) => typesOf(b)?.has('integer'));
  if (numericBranches.length === 1 && branches.length >= 1) {
    // Out of the numeric branch's bounds, and not of any other branch's type.
    options.push(...outOfBounds(numericBranches[0] as JsonSchema));
  }
  if (s.enum && types?.size === 1 && types.has('string')) {
    const taken = new Set(s.enum.map((v) => String(v).trim().toLowerCase()));
    options.push(junkText(words).filter((t) => !taken.has(t.trim().toLowerCase())));
  }
  return options.length > 0 ? fc.oneof(...options) : undefined;
}

function arrayBreaks(s: JsonSchema, words: readonly string[]): fc.Arbitrary<unknown>[] {
  const item = s.items ?? {};
  const options: fc.Arbitrary<unknown>[] = [];
  if (s.minItems)
    options.push(fc.array(noise(item, words), { maxLength: Math.min(s.minItems - 1, 3) }));
  if (s.maxItems !== undefined) {
    options.push(
      fc.array(noise(item, words), { minLength: s.maxItems + 1, maxLength: s.maxItems + 3 }),
    );
    if (s.maxItems < 100_000) options.push(fc.constant(BIG_ARRAY));
  }
  const broken = breakValue(item, words);
  if (broken)
    options.push(
      fc
        .tuple(fc.array(noise(item, words), { maxLength: 3 }), broken, fc.nat())
        .map(([items, bad, at]) => items.toSpliced(at % (items.length + 1), 0, bad)),
    );
  return options;
}

/** Breaks that hold for every branch (a body that is one of several object shapes). */
function objectBreaks(branches: JsonSchema[], words: readonly string[]): fc.Arbitrary<unknown>[] {
  const first = branches[0] as JsonSchema;
  const known = new Set(branches.flatMap((b) => Object.keys(b.properties ?? {})));
  const requiredByAll = (first.required ?? []).filter((k) =>
    branches.every((b) => b.required?.includes(k)),
  );
  const options: fc.Arbitrary<unknown>[] = [];
  const base = fc.oneof(...branches.map((b) => plausibleObject(b, words)));
  if (requiredByAll.length > 0)
    options.push(
      fc.tuple(base, fc.constantFrom(...requiredByAll)).map(([o, k]) => {
        const { [k]: _gone, ...rest } = o;
        return rest;
      }),
    );
  if (branches.every((b) => b.additionalProperties === false))
    options.push(
      fc
        .tuple(
          base,
          junkText(words).filter((k) => !known.has(k)),
          anyJson(words),
        )
        .map(([o, k, v]) => ({ ...o, [k]: v })),
    );
  if (branches.length === 1) {
    const breakable = Object.entries(first.properties ?? {}).flatMap(([k, p]) => {
      const bad = breakValue(p, words);
      return bad ? [bad.map((v) => [k, v] as const)] : [];
    });
    if (breakable.length > 0)
      options.push(fc.tuple(base, fc.oneof(...breakable)).map(([o, [k, v]]) => ({ ...o, [k]: v })));
  }
  return options;
}

/** An object of the schema's shape whose fields may or may not be valid. */
function plausibleObject(
  s: JsonSchema,
  words: readonly string[],
): fc.Arbitrary<Record<string, unknown>> {
  const properties = s.properties ?? {};
  const required = s.required ?? [];
  const entries = Object.fromEntries(
    Object.entries(properties).map(([k, p]) => [k, noise(p, words)]),
  );
  return fc.record(entries, { requiredKeys: required.filter((k) => k in properties) });
}

/** A value the schema might accept: a valid-looking one most of the time, junk otherwise. */
export function noise(s: JsonSchema, words: readonly string[] = []): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: plausible(s, words) },
    { weight: 1, arbitrary: anyJson(words) },
  );
}

function plausible(s: JsonSchema, words: readonly string[]): fc.Arbitrary<unknown> {
  const branches = branchesOf(s);
  if (branches) return fc.oneof(...branches.map((b) => plausible(b, words)));
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const type = [s.type ?? 'any'].flat()[0];
  switch (type) {
    case 'string':
      return fc.oneof(matching(s.pattern) ?? fc.string({ maxLength: 20 }), junkText(words));
    case 'integer':
      return fc.integer({
        min: Math.max(s.minimum ?? (s.exclusiveMinimum ?? -1e9) + 1, -1e9),
        max: Math.min(s.maximum ?? 1e9, 1e9),
      });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(plausible(s.items ?? {}, words), {
        maxLength: Math.min(s.maxItems ?? 4, 4),
      });
    case 'object':
      return plausibleObject(s, words);
    default:
      return anyJson(words);
  }
}

function matching(pattern: string | undefined): fc.Arbitrary<string> | undefined {
  if (!pattern) return undefined;
  try {
    return fc.stringMatching(new RegExp(pattern));
  } catch {
    return undefined;
  }
}
