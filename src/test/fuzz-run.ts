import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { App } from '../server.js';
import { buildApp } from '../server.js';
import { createTestContext, type TestContext } from './context.js';
import { dbSnapshot } from './db-snapshot.js';
import {
  describeRequest,
  type Operation,
  operationName,
  operationsOf,
  type RequestSpec,
  toInject,
} from './malformed-requests.js';

/** Runs per route (FUZZ_RUNS to change); the seed is fixed (FUZZ_SEED to change), so a failure replays. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_201);

export type FuzzSuite =
  | 'api'
  | 'operator'
  | 'seller'
  | 'open-api'
  | 'pages'
  | 'forms'
  | 'console'
  | 'console-forms';

/** Which fuzz file takes an operation (src/api/fuzz*.test.ts): every operation has exactly one. */
export function fuzzSuiteOf(op: Operation): FuzzSuite {
  if (op.path === '/sync') return 'open-api';
  if (op.path.startsWith('/api/v1/')) return 'api';
  if (op.path.startsWith('/api/seller/')) return 'seller';
  if (op.path.startsWith('/api/') || op.path === '/healthz') return 'operator';
  if (op.path.startsWith('/console')) return op.method === 'GET' ? 'console' : 'console-forms';
  return op.method === 'GET' ? 'pages' : 'forms';
}

/**
 * The operations of the app's OpenAPI document (read from a throwaway app at collection
 * time, so that each one is a test of its own), those of one fuzz file.
 */
export async function documentOperations(suite: FuzzSuite) {
  const ctx = await createTestContext('sqlite');
  try {
    const app = await buildApp(ctx);
    const ops = operationsOf((await app.inject('/openapi.json')).json());
    await app.close();
    return ops.filter((op) => fuzzSuiteOf(op) === suite);
  } finally {
    await ctx.close();
  }
}

/** What a route must answer: undefined when the answer is fine, else what is wrong with it. */
export type Check = (spec: RequestSpec, res: LightMyRequestResponse) => string | undefined;

/** A 5xx is never fine; a request that certainly breaks a rule must get a 4xx (3xx: see `allow`). */
export function statusCheck(allow: { redirects?: boolean } = {}): Check {
  return (spec, res) => {
    if (res.statusCode >= 500) return 'a server error';
    if (!spec.breaks || spec.method === 'GET') return undefined;
    if (res.statusCode >= 400) return undefined;
    if (allow.redirects && res.statusCode >= 300) return undefined;
    return 'a malformed request was taken';
  };
}

/** Requests in flight at once: the database's latency hides behind the others' work. */
const IN_FLIGHT = 4;

/**
 * Sends FUZZ_RUNS requests generated from the fixed seed (the same ones every run) to the
 * app, a few at a time, and checks each answer; then the database must be as it was and
 * /healthz must answer. A failure prints the request, the answer and how to replay it.
 */
export async function fuzzRoute(
  app: App,
  ctx: TestContext,
  name: string,
  requests: fc.Arbitrary<RequestSpec>,
  check: Check,
  numRuns = FUZZ_RUNS,
): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  const before = await dbSnapshot(ctx);
  const specs = fc.sample(requests, { numRuns, seed: FUZZ_SEED });
  const failures: string[] = [];
  let next = 0;
  const send = async () => {
    while (next < specs.length && failures.length === 0) {
      const run = next++;
      const spec = specs[run] as RequestSpec;
      const res = await app.inject(toInject(spec));
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      const problem = check(spec, res);
      if (problem)
        failures.push(
          `run ${run + 1} of ${numRuns}: ${problem}: ${describeRequest(spec)} → ${res.statusCode} ${res.body.slice(0, 300)}`,
        );
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, send));
  if (failures.length > 0)
    throw new Error(
      `${name}: ${failures[0]}\nreplay: FUZZ_SEED=${FUZZ_SEED} npx vitest run src/api/fuzz -t '${name}'`,
    );
  expect({ name, db: await dbSnapshot(ctx) }).toEqual({ name, db: before });
  expect((await app.inject('/healthz')).statusCode).toBe(200);
  return statuses;
}

export { operationName };
