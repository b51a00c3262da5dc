import type fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { issueApiCredentials } from '../affiliates/api-credentials.js';
import { createTrackingId } from '../affiliates/tracking-ids.js';
import { RateLimiter } from '../lib/rate-limiter.js';
import { type App, buildApp } from '../server.js';
import { describeEachDatabase } from '../test/context.js';
import { documentOperations, FUZZ_RUNS, fuzzRoute } from '../test/fuzz-run.js';
import { type MethodSpec, methodSpecs, type OpenApiWorld } from '../test/malformed-open-api.js';
import { brokenEnvelopes, methodCalls } from '../test/malformed-open-api-calls.js';
import type { RequestSpec } from '../test/malformed-requests.js';
import { OPEN_API_BASE, seedProductWorld } from '../test/open-api-world.js';
import { accept, paidEvent, seedClickedProduct } from '../test/orders.js';
import { openApiMethods } from './open-api/methods/index.js';

// Issue 9: the Open API gateway (GET and POST /sync) under malformed calls: for each method,
// FUZZ_RUNS correctly signed calls with broken parameters (so the method's own checks are
// reached), and FUZZ_RUNS calls with a broken envelope. No answer is a 5xx or a server
// fault (ServiceUnavailable, type ISP); a broken call gets an error_response; nothing is
// written. category.get and featuredpromo.get take no parameter that can be wrong: their
// calls carry junk parameters only and may succeed (they only read).
const operations = await documentOperations('open-api');

/** The errors of a method's own checks: a signed call must get one of these, or a result. */
const METHOD_ERRORS = ['MissingParameter', 'InvalidParameter', 'InsufficientPermission'];

/** Whether the answer is right for the call: undefined when it is, else what is wrong. */
const openApiCheck =
  (signed: boolean) =>
  (spec: RequestSpec, res: LightMyRequestResponse): string | undefined => {
    if (res.statusCode >= 500) return 'a server error';
    if (res.statusCode !== 200) return undefined; // e.g. 413 for a form body over 64 KiB
    const body = res.json() as { error_response?: { type: string; code: string } };
    const error = body.error_response;
    if (error && (error.type === 'ISP' || error.code === 'ServiceUnavailable'))
      return `a server fault (${error.code})`;
    if (spec.breaks && !error) return 'a broken call was answered as a success';
    if (signed && error && !METHOD_ERRORS.includes(error.code))
      return `the call did not reach the method (${error.code})`;
    return undefined;
  };

describeEachDatabase('malformed calls to the Open API', (t) => {
  let app: App;
  let world: OpenApiWorld;
  let specs: Record<string, MethodSpec>;
  const sent = { GET: 0, POST: 0 };

  beforeAll(async () => {
    const ctx = t();
    // The rate limit would answer ApiCallLimit before the methods are reached.
    const limiter = new RateLimiter({ perSecond: 1_000_000, burst: 1_000_000 });
    app = await buildApp(ctx, { publicBaseUrl: OPEN_API_BASE, openApiLimiter: limiter });
    const catalog = await seedProductWorld(ctx);
    const seeded = await seedClickedProduct(ctx);
    const { productId } = seeded.product;
    await accept(ctx, paidEvent(ctx, { orderId: 'oa-1', productId, clickId: seeded.clickId }));
    await createTrackingId(ctx, seeded.affiliate.id, 'blog');
    const credentials = await issueApiCredentials(ctx, seeded.affiliate.id);
    world = {
      ...credentials,
      now: ctx.clock.now(),
      trackingIds: ['default', 'blog'],
      productIds: [productId, catalog.desk.productId, catalog.steel.productId],
      categoryIds: [catalog.branch.top, catalog.branch.leaf],
      productUrl: seeded.product.url,
      subOrderIds: ['oa-1-1'],
    };
    specs = methodSpecs(world);
  });

  afterAll(async () => {
    await app?.close();
  });

  const fuzz = (name: string, calls: fc.Arbitrary<RequestSpec>, signed: boolean) =>
    fuzzRoute(
      app,
      t(),
      name,
      calls.map((c) => {
        sent[c.method as 'GET' | 'POST'] += 1;
        return c;
      }),
      openApiCheck(signed),
    );

  it('knows every method the gateway answers', () => {
    expect(Object.keys(specs).sort()).toEqual([...openApiMethods.keys()].sort());
  });

  for (const name of openApiMethods.keys())
    it(`${name}: ${FUZZ_RUNS} signed calls with broken parameters, no server fault, nothing written`, async () => {
      await fuzz(name, methodCalls(world, name, specs[name] as MethodSpec), true);
    }, 120_000);

  it(`${FUZZ_RUNS} calls with a broken envelope are refused, nothing written`, async () => {
    await fuzz('envelope', brokenEnvelopes(world, [...openApiMethods.keys()]), false);
  }, 120_000);

  it('sent at least 1,000 calls to each Open API route of the document', () => {
    expect(operations.map((op) => `${op.method} ${op.path}`).sort()).toEqual([
      'GET /sync',
      'POST /sync',
    ]);
    expect(Math.min(sent.GET, sent.POST)).toBeGreaterThanOrEqual(Math.min(FUZZ_RUNS, 1000));
  });
});
