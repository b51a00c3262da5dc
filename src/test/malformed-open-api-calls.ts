import fc from 'fast-check';
import { openApiSignature, SIGN_METHODS, type SignMethod } from '../api/open-api/sign.js';
import { wellFormed } from './malformed.js';
import {
  type MethodSpec,
  nonBlank,
  notOneOf,
  type OpenApiWorld,
  platformTime,
  text,
} from './malformed-open-api.js';

type Params = Record<string, string>;

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
