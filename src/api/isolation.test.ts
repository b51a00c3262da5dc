import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { issueApiKey } from '../affiliates/api-keys.js';
import { setBankAccount } from '../affiliates/bank-accounts.js';
import { createTrackingId } from '../affiliates/tracking-ids.js';
import { runDueJobs } from '../jobs/run-due-jobs.js';
import { getBalances } from '../payouts/balances.js';
import { requestWithdrawal } from '../payouts/request-withdrawal.js';
import { issueSellerApiKey } from '../sellers/seller-api-keys.js';
import { setSellerEnrollment } from '../sellers/seller-enrollment.js';
import { setSellerRate } from '../sellers/seller-rates.js';
import { type App, buildApp, routeTable } from '../server.js';
import { describeEachDatabase, type TestContext } from '../test/context.js';
import { accept, event, paidEvent, seedClickedProduct } from '../test/orders.js';
import { GERMAN_IBAN, seedEarnings, seedPayee } from '../test/payouts.js';
import { seedSellerWithStore } from '../test/seller-stores.js';
import { createPostback } from '../webhooks/create-postback.js';
import { createWebhook } from '../webhooks/create-webhook.js';

/** What affiliate A owns, for probes to aim at. */
type World = {
  withdrawalId: string;
  orderId: string;
  linkCode: string;
  affiliateId: string;
  webhookId: string;
  postbackId: string;
  /** Seller A (whose store sold order iso-1, settled and released) and its store. */
  sellerId: string;
  storeId: string;
  productId: string;
  categoryId: string;
};

/**
 * How each route is probed with affiliate B's key. `resource`: the path names one of A's
 * resources — B gets 404 and nothing changes. `own`: the route acts on the caller — B's
 * answer shows nothing of A's and nothing of A's changes. Routes that are not an
 * affiliate's data say why. Every route the app registers must be listed here: a new
 * route without an entry fails this test.
 */
type Probe =
  | { kind: 'resource'; path: (a: World) => string; body?: unknown }
  | { kind: 'own'; path: string; body?: unknown }
  /** A seller money route, probed with seller B's key (below): nothing of seller A's answers. */
  | { kind: 'seller_money'; path: (a: World) => string }
  /** A seller plan route, probed with seller B's key against seller A's stores, products, keys. */
  | { kind: 'seller'; probes: SellerProbe[] }
  | { kind: 'none'; why: string };

const SELLER_RANGE = 'from=2026-01-01&to=2026-12-31';
/** The seller money routes: B's key sees none of A's orders or releases; A's store is a 404. */
function sellerProbes(): Record<string, Probe> {
  const probes: Record<string, Probe> = {
    'GET /api/seller/v1/orders': {
      kind: 'seller_money',
      path: () => `/api/seller/v1/orders?${SELLER_RANGE}`,
    },
    'GET /api/seller/v1/orders.csv': {
      kind: 'seller_money',
      path: () => `/api/seller/v1/orders.csv?${SELLER_RANGE}`,
    },
    'GET /api/seller/v1/statement': {
      kind: 'seller_money',
      path: () => '/api/seller/v1/statement',
    },
    'GET /api/seller/v1/statement.csv': {
      kind: 'seller_money',
      path: () => '/api/seller/v1/statement.csv',
    },
  };
  for (const report of ['daily', 'products', 'categories'])
    for (const suffix of ['', '.csv'])
      probes[`GET /api/seller/v1/reports/${report}${suffix}`] = {
        kind: 'seller_money',
        path: () => `/api/seller/v1/reports/${report}${suffix}?${SELLER_RANGE}`,
      };
  return probes;
}

/** What seller A owns, for seller B's key to aim at. */
type SellerWorld = { sellerId: string; storeId: string; productId: string; keyId: string };

/**
 * A seller route probed with seller B's key. `refused`: it names one of A's stores, products
 * or keys — B gets a 4xx and nothing anywhere changes. Otherwise it acts on B's own: the
 * answer shows nothing of A's and nothing of A's changes.
 */
type SellerProbe = {
  path: (a: SellerWorld) => string;
  body?: (a: SellerWorld) => unknown;
  csv?: boolean;
  refused: boolean;
};
const csvOf = (productId: string) => `product_id,rate_bp,effective_from\n${productId},900,\n`;

const SELLER_PROBES: Record<string, SellerProbe[]> = {
  'GET /api/seller/v1/stores': [{ path: () => '/api/seller/v1/stores', refused: false }],
  'GET /api/seller/v1/products': [
    { path: () => '/api/seller/v1/products', refused: false },
    { path: () => `/api/seller/v1/products?q=pr-`, refused: false },
    { path: (a) => `/api/seller/v1/products?storeId=${a.storeId}`, refused: true },
  ],
  'GET /api/seller/v1/plans': [
    { path: (a) => `/api/seller/v1/plans?storeId=${a.storeId}`, refused: true },
  ],
  'POST /api/seller/v1/rates': [
    {
      path: () => '/api/seller/v1/rates',
      body: (a) => ({ scope: 'store', storeId: a.storeId, rateBp: 900 }),
      refused: true,
    },
    {
      path: () => '/api/seller/v1/rates',
      body: (a) => ({ scope: 'product', targetId: a.productId, rateBp: 900 }),
      refused: true,
    },
  ],
  'POST /api/seller/v1/enrollments': [
    {
      path: () => '/api/seller/v1/enrollments',
      body: (a) => ({ storeId: a.storeId, scope: 'store', enrolled: false }),
      refused: true,
    },
  ],
  'POST /api/seller/v1/rates/import': [
    {
      path: () => '/api/seller/v1/rates/import?dryRun=true',
      body: (a) => csvOf(a.productId),
      csv: true,
      refused: true,
    },
    {
      path: () => '/api/seller/v1/rates/import',
      body: (a) => csvOf(a.productId),
      csv: true,
      refused: true,
    },
  ],
  'GET /api/seller/v1/api-keys': [{ path: () => '/api/seller/v1/api-keys', refused: false }],
  'DELETE /api/seller/v1/api-keys/:id': [
    { path: (a) => `/api/seller/v1/api-keys/${a.keyId}`, refused: true },
  ],
};

const PAGE =
  'a page: the affiliate comes from the session (affiliateOf), never the request; src/web/pages/isolation.test.ts';

const SELLER_PAGE =
  "a seller-center page: the seller comes from the session (sellerOf); every /seller route is walked with another seller's ids in src/web/seller/seller-pages.test.ts";

const STORE = 'a public store page, the same for every visitor: src/storefront/routes.test.ts';

const PROBES: Record<string, Probe> = {
  'GET /api/v1/withdrawals/:id': {
    kind: 'resource',
    path: (a) => `/api/v1/withdrawals/${a.withdrawalId}`,
  },
  'GET /api/v1/orders/:id': { kind: 'resource', path: (a) => `/api/v1/orders/${a.orderId}` },
  'DELETE /api/v1/webhooks/:id': {
    kind: 'resource',
    path: (a) => `/api/v1/webhooks/${a.webhookId}`,
  },
  'POST /api/v1/webhooks/:id/secret': {
    kind: 'resource',
    path: (a) => `/api/v1/webhooks/${a.webhookId}/secret`,
  },
  'GET /api/v1/webhooks/:id/deliveries': {
    kind: 'resource',
    path: (a) => `/api/v1/webhooks/${a.webhookId}/deliveries`,
  },
  'DELETE /api/v1/postbacks/:id': {
    kind: 'resource',
    path: (a) => `/api/v1/postbacks/${a.postbackId}`,
  },
  'GET /api/v1/postbacks/:id/deliveries': {
    kind: 'resource',
    path: (a) => `/api/v1/postbacks/${a.postbackId}/deliveries`,
  },
  'GET /api/v1/webhooks': { kind: 'own', path: '/api/v1/webhooks' },
  'POST /api/v1/webhooks': {
    kind: 'own',
    path: '/api/v1/webhooks',
    body: { url: 'https://b.example/hook', events: ['order.paid'] },
  },
  'GET /api/v1/postbacks': { kind: 'own', path: '/api/v1/postbacks' },
  'POST /api/v1/postbacks': {
    kind: 'own',
    path: '/api/v1/postbacks',
    body: { url_template: 'https://b.example/pb?c={click_id}', events: ['order.paid'] },
  },
  'GET /api/v1/balance': { kind: 'own', path: '/api/v1/balance' },
  'GET /api/v1/statement': { kind: 'own', path: '/api/v1/statement' },
  'GET /api/v1/bank-account': { kind: 'own', path: '/api/v1/bank-account' },
  'PUT /api/v1/bank-account': {
    kind: 'own',
    path: '/api/v1/bank-account',
    body: { iban: GERMAN_IBAN, holderName: 'B B', country: 'DE' },
  },
  'GET /api/v1/withdrawals': { kind: 'own', path: '/api/v1/withdrawals' },
  'POST /api/v1/withdrawals': { kind: 'own', path: '/api/v1/withdrawals', body: { amount: 1600 } },
  'POST /api/v1/withdrawals/quote': {
    kind: 'own',
    path: '/api/v1/withdrawals/quote',
    body: { amount: 1600 },
  },
  'GET /api/v1/links': { kind: 'own', path: '/api/v1/links' },
  'POST /api/v1/links': {
    kind: 'own',
    path: '/api/v1/links',
    body: { urls: ['https://x.example/'] },
  },
  'GET /api/v1/tracking-ids': { kind: 'own', path: '/api/v1/tracking-ids' },
  'POST /api/v1/tracking-ids': {
    kind: 'own',
    path: '/api/v1/tracking-ids',
    body: { name: 'blog' },
  },
  'GET /api/v1/orders': { kind: 'own', path: '/api/v1/orders' },
  'GET /api/v1/reports/clicks': {
    kind: 'own',
    path: '/api/v1/reports/clicks?from=2026-01-01&to=2026-12-31&by=tracking_id',
  },
  'GET /api/v1/reports/dashboard': { kind: 'own', path: '/api/v1/reports/dashboard' },
  'GET /api/v1/reports/daily': { kind: 'own', path: '/api/v1/reports/daily?days=90' },
  'GET /api/v1/reports/top-products': {
    kind: 'own',
    path: '/api/v1/reports/top-products?from=2026-01-01&to=2026-12-31',
  },
  'GET /api/v1/reports/breakdown': {
    kind: 'own',
    path: '/api/v1/reports/breakdown?by=sub1&from=2026-01-01&to=2026-12-31',
  },
  'GET /api/v1/reports/orders.csv': {
    kind: 'own',
    path: '/api/v1/reports/orders.csv?from=2026-01-01&to=2026-12-31',
  },
  'GET /api/v1/reports/clicks.csv': {
    kind: 'own',
    path: '/api/v1/reports/clicks.csv?from=2026-01-01&to=2026-12-31&by=tracking_id',
  },
  ...sellerProbes(),
  'GET /api/v1/products': { kind: 'none', why: 'the catalog is the same for every affiliate' },
  'GET /api/v1/products/:id': { kind: 'none', why: 'the catalog is the same for every affiliate' },
  'POST /api/v1/affiliates': { kind: 'none', why: 'sign-up, before there is an affiliate' },
  'POST /api/merchant/v1/events': { kind: 'none', why: 'the marketplace, signed with its secret' },
  'GET /sync': { kind: 'none', why: 'the Open API: app_key signatures, own isolation tests' },
  'POST /sync': { kind: 'none', why: 'the Open API: app_key signatures, own isolation tests' },
  'GET /api/operator/v1/settings': { kind: 'none', why: 'operator token only' },
  'PUT /api/operator/v1/settings': { kind: 'none', why: 'operator token only' },
  'GET /api/operator/v1/affiliates': { kind: 'none', why: 'operator token only' },
  'GET /api/operator/v1/affiliates/:id': { kind: 'none', why: 'operator token only' },
  'POST /api/operator/v1/affiliates/:id/status': { kind: 'none', why: 'operator token only' },
  'POST /api/operator/v1/plans/rates': { kind: 'none', why: 'operator token only' },
  'POST /api/operator/v1/plans/enrollments': { kind: 'none', why: 'operator token only' },
  'GET /api/operator/v1/plans/products/:id/rate': { kind: 'none', why: 'operator token only' },
  'POST /api/operator/v1/fx-rates': { kind: 'none', why: 'operator token only' },
  'GET /api/operator/v1/flags': { kind: 'none', why: 'operator token only' },
  'POST /api/operator/v1/sellers': { kind: 'none', why: 'operator token only' },
  'POST /api/operator/v1/sellers/:id/stores': { kind: 'none', why: 'operator token only' },
  'POST /api/operator/v1/sellers/:id/invite': { kind: 'none', why: 'operator token only' },
  'POST /api/operator/v1/sellers/:id/api-keys': { kind: 'none', why: 'operator token only' },
  ...Object.fromEntries(
    Object.entries(SELLER_PROBES).map(([route, probes]) => [route, { kind: 'seller', probes }]),
  ),
  'POST /api/operator/v1/flags/:id/release': { kind: 'none', why: 'operator token only' },
  'POST /api/operator/v1/flags/:id/invalidate': { kind: 'none', why: 'operator token only' },
  'GET /healthz': { kind: 'none', why: 'health' },
  'GET /openapi.json': { kind: 'none', why: 'the API description' },
  'GET /': { kind: 'none', why: 'the front door: a page, no data' },
  'GET /assets/:name': { kind: 'none', why: 'the stylesheet and script of the pages' },
  'GET /signup': { kind: 'none', why: 'sign-up, before there is an affiliate' },
  'POST /signup': { kind: 'none', why: 'sign-up, before there is an affiliate' },
  'GET /login': { kind: 'none', why: 'log-in, before there is a session' },
  'POST /login': { kind: 'none', why: 'log-in, before there is a session' },
  'POST /logout': { kind: 'none', why: "ends the caller's own session" },
  'GET /dashboard': { kind: 'none', why: PAGE },
  'GET /links': { kind: 'none', why: PAGE },
  'POST /links': { kind: 'none', why: PAGE },
  'GET /products': { kind: 'none', why: PAGE },
  'GET /orders': { kind: 'none', why: PAGE },
  'GET /orders/:id': { kind: 'none', why: PAGE },
  'GET /payouts': { kind: 'none', why: PAGE },
  'POST /payouts/quote': { kind: 'none', why: PAGE },
  'POST /payouts/withdraw': { kind: 'none', why: PAGE },
  'POST /payouts/bank-account': { kind: 'none', why: PAGE },
  'GET /settings': { kind: 'none', why: PAGE },
  'POST /settings/tracking-ids': { kind: 'none', why: PAGE },
  'POST /settings/api-key': { kind: 'none', why: PAGE },
  'POST /settings/open-api': { kind: 'none', why: PAGE },
  'POST /settings/webhooks': { kind: 'none', why: PAGE },
  'POST /settings/postbacks': { kind: 'none', why: PAGE },
  'POST /settings/:kind/:id/delete': { kind: 'none', why: PAGE },
  'GET /stores': { kind: 'none', why: PAGE },
  'GET /stores/new': { kind: 'none', why: PAGE },
  'POST /stores': { kind: 'none', why: PAGE },
  'GET /stores/:id': { kind: 'none', why: PAGE },
  'POST /stores/:id': { kind: 'none', why: PAGE },
  'GET /s/assets/:name': { kind: 'none', why: 'the stylesheets of the stores' },
  'GET /s/:slug': { kind: 'none', why: STORE },
  'GET /s/:slug/': { kind: 'none', why: STORE },
  'GET /s/:slug/category/:id': { kind: 'none', why: STORE },
  'GET /s/:slug/search': { kind: 'none', why: STORE },
  'GET /s/:slug/product/:id': { kind: 'none', why: STORE },
  'GET /s/:slug/sitemap.xml': { kind: 'none', why: STORE },
  'GET /s/:slug/robots.txt': { kind: 'none', why: STORE },
  'GET /exports/orders.csv': { kind: 'none', why: PAGE },
  'GET /exports/clicks.csv': { kind: 'none', why: PAGE },
  'GET /exports/withdrawals.csv': { kind: 'none', why: PAGE },
  'GET /console': { kind: 'none', why: 'operator session only' },
  'GET /console/program': { kind: 'none', why: 'operator session only' },
  'POST /console/program': { kind: 'none', why: 'operator session only' },
  'POST /console/program/fx': { kind: 'none', why: 'operator session only' },
  'GET /console/affiliates': { kind: 'none', why: 'operator session only' },
  'GET /console/affiliates/:id': { kind: 'none', why: 'operator session only' },
  'POST /console/affiliates/:id/status': { kind: 'none', why: 'operator session only' },
  'GET /console/sellers': { kind: 'none', why: 'operator session only' },
  'POST /console/sellers/category-rates': { kind: 'none', why: 'operator session only' },
  'POST /console/sellers/invite': { kind: 'none', why: 'operator session only' },
  'GET /console/sellers/:storeId': { kind: 'none', why: 'operator session only' },
  'POST /console/sellers/:storeId/rates': { kind: 'none', why: 'operator session only' },
  'POST /console/sellers/:storeId/rates/remove': { kind: 'none', why: 'operator session only' },
  'POST /console/sellers/:storeId/enrollments': { kind: 'none', why: 'operator session only' },
  'GET /console/orders': { kind: 'none', why: 'operator session only' },
  'GET /console/orders/:id': { kind: 'none', why: 'operator session only' },
  'GET /console/flags': { kind: 'none', why: 'operator session only' },
  'POST /console/flags/:id': { kind: 'none', why: 'operator session only' },
  'GET /console/payouts': { kind: 'none', why: 'operator session only' },
  'GET /console/payouts/preview': { kind: 'none', why: 'operator session only' },
  'POST /console/payouts/run': { kind: 'none', why: 'operator session only' },
  'POST /console/payouts/export': { kind: 'none', why: 'operator session only' },
  'GET /console/payouts/batches/:id/file': { kind: 'none', why: 'operator session only' },
  'POST /console/payouts/results': { kind: 'none', why: 'operator session only' },
  'GET /console/exports/orders.csv': { kind: 'none', why: 'operator session only' },
  'GET /console/exports/withdrawals.csv': { kind: 'none', why: 'operator session only' },
  'GET /console/ledger': { kind: 'none', why: 'operator session only' },
  'GET /seller/invite/:token': {
    kind: 'none',
    why: 'a seller sets its password, before a session',
  },
  'POST /seller/invite/:token': {
    kind: 'none',
    why: 'a seller sets its password, before a session',
  },
  'GET /seller': { kind: 'none', why: SELLER_PAGE },
  'POST /seller/stores/:storeId/membership': { kind: 'none', why: SELLER_PAGE },
  'GET /seller/products': { kind: 'none', why: SELLER_PAGE },
  'GET /seller/products/:productId': { kind: 'none', why: SELLER_PAGE },
  'POST /seller/products/:productId/rate': { kind: 'none', why: SELLER_PAGE },
  'POST /seller/products/:productId/hot-rate': { kind: 'none', why: SELLER_PAGE },
  'POST /seller/products/:productId/enrollment': { kind: 'none', why: SELLER_PAGE },
  'GET /seller/rates': { kind: 'none', why: SELLER_PAGE },
  'POST /seller/stores/:storeId/rate': { kind: 'none', why: SELLER_PAGE },
  'POST /seller/stores/:storeId/category-rate': { kind: 'none', why: SELLER_PAGE },
  'POST /seller/stores/:storeId/category-enrollment': { kind: 'none', why: SELLER_PAGE },
  'GET /seller/import': { kind: 'none', why: SELLER_PAGE },
  'POST /seller/import/preview': { kind: 'none', why: SELLER_PAGE },
  'POST /seller/import/apply': { kind: 'none', why: SELLER_PAGE },
  'GET /seller/reports': { kind: 'none', why: SELLER_PAGE },
  'GET /seller/reports.csv': { kind: 'none', why: SELLER_PAGE },
  'GET /seller/orders': { kind: 'none', why: SELLER_PAGE },
  'GET /seller/orders.csv': { kind: 'none', why: SELLER_PAGE },
  'GET /seller/statement': { kind: 'none', why: SELLER_PAGE },
  'GET /seller/statement.csv': { kind: 'none', why: SELLER_PAGE },
  'GET /seller/api-keys': { kind: 'none', why: SELLER_PAGE },
  'POST /seller/api-keys': { kind: 'none', why: SELLER_PAGE },
  'POST /seller/api-keys/:id/revoke': { kind: 'none', why: SELLER_PAGE },
};

describeEachDatabase('isolation between affiliates, for every route', (t) => {
  let app: App;
  let a: World;
  let keyB: string;
  /** Keys of the sellers of the affiliates' orders iso-1 (A) and iso-2 (B): the money routes. */
  let sellerKeyA: string;
  let orderSellerKeyB: string;
  /** Seller A's store, product and key, and seller B's key: the plan routes. */
  let sellerA: SellerWorld;
  let sellerKeyB: string;

  beforeAll(async () => {
    const ctx = t();
    app = await buildApp(ctx);
    const seeded = await seedClickedProduct(ctx);
    const affiliateId = seeded.affiliate.id;
    await accept(
      ctx,
      paidEvent(ctx, {
        orderId: 'iso-1',
        productId: seeded.product.productId,
        clickId: seeded.clickId,
      }),
    );
    await createTrackingId(ctx, affiliateId, 'blog');
    await setBankAccount(ctx, affiliateId, { iban: GERMAN_IBAN, holderName: 'A A', country: 'DE' });
    await seedEarnings(ctx, affiliateId, 5000n);
    const { withdrawal } = await requestWithdrawal(ctx, { affiliateId, amountMinor: 2000n });
    const webhook = await createWebhook(ctx, affiliateId, {
      url: 'https://a.example/hook',
      events: ['order.paid'],
    });
    const postback = await createPostback(ctx, affiliateId, {
      urlTemplate: 'https://a.example/pb?c={click_id}',
      events: ['order.paid'],
    });
    // Seller A's order iso-1 settles and is released; seller B has an order of its own.
    const sellerB = await seedClickedProduct(ctx);
    await accept(
      ctx,
      paidEvent(ctx, {
        orderId: 'iso-2',
        productId: sellerB.product.productId,
        clickId: sellerB.clickId,
      }),
    );
    for (const orderId of ['iso-1', 'iso-2'])
      await accept(
        ctx,
        event(ctx, 'order.receipt_confirmed', {
          order_id: orderId,
          confirmed_at: ctx.clock.now().toISOString(),
        }),
      );
    await runDueJobs(ctx);
    const sellerOf = async (storeId: string) =>
      (
        await ctx.db
          .selectFrom('stores')
          .select('seller_id')
          .where('id', '=', storeId)
          .executeTakeFirstOrThrow()
      ).seller_id;
    sellerKeyA = (await issueSellerApiKey(ctx, await sellerOf(seeded.storeId))).key;
    orderSellerKeyB = (await issueSellerApiKey(ctx, await sellerOf(sellerB.storeId))).key;
    a = {
      sellerId: await sellerOf(seeded.storeId),
      storeId: seeded.storeId,
      productId: seeded.product.productId,
      categoryId: seeded.product.categoryId,
      withdrawalId: withdrawal.id,
      orderId: 'iso-1',
      linkCode: seeded.link.code,
      affiliateId,
      webhookId: webhook.id,
      postbackId: postback.id,
    };
    const b = await seedPayee(ctx, { earnedMinor: 5000n });
    keyB = (await issueApiKey(ctx, b.id)).key;

    const sa = await seedSellerWithStore(ctx, { products: 1 });
    await setSellerEnrollment(ctx, sa.sellerId, {
      storeId: sa.storeId,
      scope: 'store',
      enrolled: true,
    });
    await setSellerRate(ctx, sa.sellerId, { scope: 'store', storeId: sa.storeId, rateBp: 600 });
    sellerA = {
      sellerId: sa.sellerId,
      storeId: sa.storeId,
      productId: sa.productIds[0] as string,
      keyId: (await issueSellerApiKey(ctx, sa.sellerId)).id,
    };
    const sb = await seedSellerWithStore(ctx, { products: 1 });
    sellerKeyB = (await issueSellerApiKey(ctx, sb.sellerId)).key;
  });

  /** Everything of A's a leak or a change would touch, and the row count of every table. */
  async function snapshot(ctx: TestContext) {
    const tables = await ctx.db.introspection.getTables();
    const counts: Record<string, number> = {};
    for (const table of tables) {
      const row = await sql<{
        n: string;
      }>`select count(*) as n from ${sql.table(table.name)}`.execute(ctx.db);
      counts[table.name] = Number(row.rows[0]?.n);
    }
    const balances = await getBalances(ctx, a.affiliateId);
    const withdrawals = await ctx.db
      .selectFrom('withdrawals')
      .select(['id', 'state'])
      .where('affiliate_id', '=', a.affiliateId)
      .execute();
    const accounts = await ctx.db
      .selectFrom('bank_accounts')
      .select(['id', 'status'])
      .where('affiliate_id', '=', a.affiliateId)
      .execute();
    const targets = [
      ...(await ctx.db
        .selectFrom('webhooks')
        .select(['id', 'status'])
        .where('affiliate_id', '=', a.affiliateId)
        .execute()),
      ...(await ctx.db
        .selectFrom('postbacks')
        .select(['id', 'status'])
        .where('affiliate_id', '=', a.affiliateId)
        .execute()),
    ];
    return JSON.stringify({ counts, balances, withdrawals, accounts, targets }, (_k, v) =>
      typeof v === 'bigint' ? v.toString() : v,
    );
  }

  it('lists a probe for every route, so that no route skips this test', () => {
    const routes = routeTable(app)
      .filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs'))
      .map((r) => `${r.method} ${r.url}`);
    expect(routes.filter((r) => !(r in PROBES))).toEqual([]);
  });

  it("refuses an affiliate's key on every operator route, changing nothing", async () => {
    const ctx = t();
    const operatorRoutes = routeTable(app).filter(
      (r) => r.url.startsWith('/api/operator/') && r.method !== 'HEAD',
    );
    expect(operatorRoutes.length).toBeGreaterThan(5);
    for (const route of operatorRoutes) {
      const before = await snapshot(ctx);
      const res = await app.inject({
        method: route.method as 'GET' | 'POST' | 'PUT',
        url: route.url.replaceAll(':id', a.affiliateId),
        headers: { authorization: `Bearer ${keyB}` },
        ...(route.method === 'GET' ? {} : { payload: { status: 'banned', values: {} } }),
      });
      expect({ route: route.url, status: res.statusCode }).toEqual({
        route: route.url,
        status: 401,
      });
      expect(await snapshot(ctx)).toEqual(before);
    }
  });

  it("gives affiliate B a 404 for each of A's resources and nothing of A's anywhere, changing nothing of A's", async () => {
    const ctx = t();
    const secrets = [
      a.affiliateId,
      a.withdrawalId,
      a.orderId,
      a.linkCode,
      a.webhookId,
      a.postbackId,
    ];
    for (const [route, probe] of Object.entries(PROBES)) {
      if (probe.kind === 'none' || probe.kind === 'seller' || probe.kind === 'seller_money')
        continue;
      const method = route.split(' ')[0] as 'GET' | 'POST' | 'PUT' | 'DELETE';
      const before = await snapshot(ctx);
      const res = await app.inject({
        method,
        url: probe.kind === 'own' ? probe.path : probe.path(a),
        headers: { authorization: `Bearer ${keyB}` },
        ...(probe.body === undefined ? {} : { payload: probe.body as object }),
      });
      if (probe.kind === 'resource') {
        expect({ route, status: res.statusCode }).toEqual({ route, status: 404 });
        expect({ route, after: await snapshot(ctx) }).toEqual({ route, after: before });
      } else {
        expect({ route, status: res.statusCode < 500 }).toEqual({ route, status: true });
        for (const secret of secrets)
          expect({ route, leaks: res.body.includes(secret) }).toEqual({ route, leaks: false });
        const after = JSON.parse(await snapshot(ctx));
        const was = JSON.parse(before);
        // B's own writes may add rows; A's money, withdrawals and accounts stay as they were.
        expect({
          route,
          a: [after.balances, after.withdrawals, after.accounts, after.targets],
        }).toEqual({ route, a: [was.balances, was.withdrawals, was.accounts, was.targets] });
      }
    }
  });
  it("gives seller B nothing of seller A's orders, reports or statement, and A's store as a 404", async () => {
    const ctx = t();
    const secrets = [a.orderId, a.storeId, a.productId, a.categoryId, a.sellerId];
    /** The orders a daily report counts, as JSON or as CSV (the third column). */
    const dailyOrders = (body: string) =>
      body.startsWith('{')
        ? (JSON.parse(body) as { rows: { orders: number }[] }).rows.reduce(
            (n, r) => n + r.orders,
            0,
          )
        : body
            .split('\r\n')
            .slice(1)
            .filter((line) => line !== '')
            .reduce((n, line) => n + Number(line.split(',')[2]), 0);
    for (const [route, probe] of Object.entries(PROBES)) {
      if (probe.kind !== 'seller_money') continue;
      const url = probe.path(a);
      // A's own key sees A's order (or its release): the probe would catch a leak.
      const own = await app.inject({ url, headers: { authorization: `Bearer ${sellerKeyA}` } });
      expect({ route, status: own.statusCode }).toEqual({ route, status: 200 });
      // Whole values only (JSON strings, CSV cells): p-3 is not in p-31.
      const tokens = (body: string) => new Set(body.split(/[",\r\n]/));
      // What each kind of answer names of A's: the order, the product or the category; a
      // daily report names days only, so its orders are counted: one each.
      const mark = route.includes('/products')
        ? a.productId
        : route.includes('/categories')
          ? a.categoryId
          : route.includes('/daily')
            ? undefined
            : a.orderId;
      if (mark) expect({ route, sees: tokens(own.body).has(mark) }).toEqual({ route, sees: true });
      else expect({ route, orders: dailyOrders(own.body) }).toEqual({ route, orders: 1 });
      const before = await snapshot(ctx);
      const res = await app.inject({
        url,
        headers: { authorization: `Bearer ${orderSellerKeyB}` },
      });
      expect({ route, status: res.statusCode }).toEqual({ route, status: 200 });
      if (route.includes('/daily'))
        expect({ route, orders: dailyOrders(res.body) }).toEqual({ route, orders: 1 });
      for (const secret of secrets)
        expect({ route, secret, leaks: tokens(res.body).has(secret) }).toEqual({
          route,
          secret,
          leaks: false,
        });
      // An affiliate's key is not a seller's.
      const affiliate = await app.inject({ url, headers: { authorization: `Bearer ${keyB}` } });
      expect({ route, status: affiliate.statusCode }).toEqual({ route, status: 401 });
      if (url.includes('from=')) {
        const store = await app.inject({
          url: `${url}&storeId=${a.storeId}`,
          headers: { authorization: `Bearer ${orderSellerKeyB}` },
        });
        expect({ route, status: store.statusCode }).toEqual({ route, status: 404 });
      }
      expect(await snapshot(ctx)).toEqual(before);
    }
  });

  /** Seller A's rules, enrollment changes and keys: what a leak of B's writes would touch. */
  async function sellerSnapshot(ctx: TestContext) {
    const rules = await ctx.db
      .selectFrom('commission_rules')
      .select(['id', 'rate_bp', 'effective_from'])
      .where('store_id', '=', sellerA.storeId)
      .execute();
    const enrollments = await ctx.db
      .selectFrom('enrollments')
      .select(['id', 'enrolled'])
      .where('store_id', '=', sellerA.storeId)
      .execute();
    const keys = await ctx.db
      .selectFrom('seller_api_keys')
      .select(['id', 'revoked_at'])
      .where('seller_id', '=', sellerA.sellerId)
      .execute();
    return JSON.stringify({ rules, enrollments, keys }, (_k, v) =>
      typeof v === 'bigint' ? v.toString() : v,
    );
  }

  it("refuses an affiliate's key on every seller route", async () => {
    const routes = routeTable(app).filter((r) => r.url.startsWith('/api/seller/'));
    expect(routes.length).toBeGreaterThan(5);
    for (const route of routes) {
      const res = await app.inject({
        method: route.method as 'GET' | 'POST' | 'DELETE',
        url: route.url.replaceAll(':id', sellerA.keyId),
        headers: { authorization: `Bearer ${keyB}` },
      });
      expect({ route: route.url, status: res.statusCode }).toEqual({
        route: route.url,
        status: 401,
      });
    }
  });

  it("gives seller B a refusal for each of seller A's stores, products and keys, and nothing of A's in B's own lists", async () => {
    const ctx = t();
    const secrets = [sellerA.sellerId, sellerA.storeId, sellerA.productId, sellerA.keyId];
    for (const [route, probe] of Object.entries(PROBES)) {
      if (probe.kind !== 'seller') continue;
      const method = route.split(' ')[0] as 'GET' | 'POST' | 'DELETE';
      for (const p of probe.probes) {
        const url = p.path(sellerA);
        const before = [await snapshot(ctx), await sellerSnapshot(ctx)];
        const body = p.body?.(sellerA);
        const res = await app.inject({
          method,
          url,
          headers: {
            authorization: `Bearer ${sellerKeyB}`,
            ...(p.csv ? { 'content-type': 'text/csv' } : {}),
          },
          ...(body === undefined ? {} : { payload: body as string }),
        });
        if (p.refused) {
          expect({ url, status: res.statusCode >= 400 && res.statusCode < 500 }).toEqual({
            url,
            status: true,
          });
          expect({ url, after: [await snapshot(ctx), await sellerSnapshot(ctx)] }).toEqual({
            url,
            after: before,
          });
        } else {
          expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
          expect({ url, after: await sellerSnapshot(ctx) }).toEqual({ url, after: before[1] });
        }
        // A refusal may name what B itself sent (`product … is not in any of your stores`).
        const sent = `${url} ${JSON.stringify(body ?? '')}`;
        for (const secret of secrets.filter((x) => !sent.includes(x)))
          expect({ url, leaks: res.body.includes(secret) }).toEqual({ url, leaks: false });
      }
    }
  });
});
