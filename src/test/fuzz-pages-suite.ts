import { afterAll, beforeAll, expect, it } from 'vitest';
import { type App, buildApp } from '../server.js';
import { createLinks } from '../tracking/create-links.js';
import { operatorAgent } from './console.js';
import { describeEachDatabase, type TestContext } from './context.js';
import { FUZZ_RUNS, fuzzRoute, statusCheck } from './fuzz-run.js';
import { type PageWorld, pageRequests, type Visitor } from './malformed-pages.js';
import { type Operation, operationName, type RequestSpec } from './malformed-requests.js';
import { accept, paidEvent, seedClick } from './orders.js';
import { seedSellerWithLogin, sellerAgent } from './sellers.js';
import { seedStorefront, seedStoreWorld } from './storefronts.js';
import { WebAgent } from './web-agent.js';

/** The session cookie and the CSRF token of a logged-in agent, read from one of its pages. */
async function visitorOf(agent: WebAgent, page: string): Promise<Visitor> {
  const { body } = await agent.get(page);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
  const session = agent.cookies.get('affnet_session');
  if (!csrf || !session) throw new Error(`no session or CSRF token on ${page}`);
  return { cookie: `affnet_session=${session}`, csrf };
}

/**
 * An approved affiliate logged in to the portal, with a store (and its public pages, each
 * viewed once so that its product links exist), a tracking id, an order; an operator
 * logged in to the console; a seller logged in to the seller center.
 */
async function seedPageWorld(app: App, ctx: TestContext): Promise<PageWorld> {
  const { affiliate, a, b, products } = await seedStoreWorld(ctx);
  const store = await seedStorefront(ctx, affiliate.id, { categoryIds: [a.top, b.top] });
  const product = products.leafLamp;
  const [link] = await createLinks(
    ctx,
    { affiliateId: affiliate.id, urls: [product.url], trackingId: 'shop' },
    'http://localhost',
  );
  const { clickId } = await seedClick(ctx, link?.code as string);
  await accept(ctx, paidEvent(ctx, { orderId: 'pg-1', productId: product.productId, clickId }));
  const agent = new WebAgent(app);
  await agent.get('/login');
  const login = await agent.post('/login', { email: affiliate.email, password: 'a long password' });
  expect(login.location).toBe('/dashboard');
  const categories = [a.top, a.mid, a.leaf, b.top, b.leaf];
  const productIds = Object.values(products).map((p) => p.productId);
  for (const path of [
    '',
    '/',
    '/search?q=',
    ...categories.map((c) => `/category/${c}`),
    ...productIds.map((p) => `/product/${p}`),
  ])
    await app.inject(`/s/${store.slug}${path}`);
  const seller = await seedSellerWithLogin(ctx);
  return {
    affiliate: await visitorOf(agent, '/settings'),
    operator: await visitorOf(await operatorAgent(app, ctx), '/console/program'),
    seller: await visitorOf(await sellerAgent(app, seller.email), '/seller'),
    real: {
      id: ['pg-1', store.id, affiliate.id, ...categories, ...productIds],
      slug: [store.slug],
      storeId: [product.storeId, seller.storeId],
      productId: [seller.lamp.productId, seller.chair.productId, product.productId],
      name: ['store.css', 'store-classic.css', 'store-search.js'],
      kind: ['webhooks', 'postbacks'],
    },
    words: [store.slug, 'shop', 'default', product.url, 'DE89370400440532013000', '2026-04'],
  };
}

/** A form refused at the door (no session, a bad CSRF token) may be a redirect to log in. */
const pageCheck = (spec: RequestSpec, res: Parameters<ReturnType<typeof statusCheck>>[1]) =>
  statusCheck({ redirects: spec.breaks.startsWith('door:') })(spec, res);

/**
 * FUZZ_RUNS malformed requests to each of these pages, on each database: no 5xx, a form
 * that certainly breaks a rule is refused, nothing is written.
 */
export function describePageFuzz(title: string, operations: readonly Operation[]): void {
  describeEachDatabase(title, (t) => {
    let app: App;
    let world: PageWorld;

    beforeAll(async () => {
      app = await buildApp(t());
      world = await seedPageWorld(app, t());
    });

    afterAll(async () => {
      await app?.close();
    });

    it('has pages of the OpenAPI document to fuzz', () => {
      expect(operations.length).toBeGreaterThan(5);
    });

    for (const op of operations) {
      const name = operationName(op);
      it(`${name}: ${FUZZ_RUNS} malformed requests, no 5xx, nothing written`, async () => {
        await fuzzRoute(app, t(), name, pageRequests(op, world), pageCheck);
      }, 120_000);
    }
  });
}
