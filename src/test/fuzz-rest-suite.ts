import { afterAll, beforeAll, expect, it } from 'vitest';
import { issueApiKey } from '../affiliates/api-keys.js';
import { setBankAccount } from '../affiliates/bank-accounts.js';
import { createTrackingId } from '../affiliates/tracking-ids.js';
import { createOperator } from '../auth/create-operator.js';
import { issueOperatorToken } from '../auth/operator-tokens.js';
import { signMerchantPayload } from '../orders/merchant-signature.js';
import { requestWithdrawal } from '../payouts/request-withdrawal.js';
import { issueSellerApiKey } from '../sellers/seller-api-keys.js';
import { setSellerEnrollment } from '../sellers/seller-enrollment.js';
import { type App, buildApp } from '../server.js';
import { createPostback } from '../webhooks/create-postback.js';
import { createWebhook } from '../webhooks/create-webhook.js';
import { describeEachDatabase, type TestContext } from './context.js';
import { type Check, FUZZ_RUNS, fuzzRoute, statusCheck } from './fuzz-run.js';
import { type Operation, operationName } from './malformed-requests.js';
import { type RestWorld, restRequests } from './malformed-rest.js';
import { accept, paidEvent, seedClickedProduct } from './orders.js';
import { GERMAN_IBAN, seedEarnings } from './payouts.js';
import { seedSellerWithStore } from './seller-stores.js';

const MERCHANT_SECRET = 'msk_fuzz_secret';

/** A merchant batch answers 200 with an outcome per event: each broken event is rejected. */
const merchantCheck: Check = (spec, res) => {
  const problem = statusCheck()(spec, res);
  if (!problem || res.statusCode !== 200) return problem;
  const body = res.json() as { accepted?: number; results?: unknown[] };
  return body.accepted === 0 && Array.isArray(body.results) ? undefined : problem;
};

/**
 * An approved affiliate with everything a route can name (a paid order, a withdrawal, a
 * webhook, a postback, a tracking id, a bank account), an API key with every scope, an
 * operator token, a seller key (its store enrolled, with a product) and the merchant secret:
 * the fuzz gets past the door of every route.
 */
async function seedRestWorld(ctx: TestContext): Promise<RestWorld> {
  const seeded = await seedClickedProduct(ctx);
  const affiliateId = seeded.affiliate.id;
  const { productId, url } = seeded.product;
  await accept(ctx, paidEvent(ctx, { orderId: 'fz-1', productId, clickId: seeded.clickId }));
  await createTrackingId(ctx, affiliateId, 'blog');
  await setBankAccount(ctx, affiliateId, { iban: GERMAN_IBAN, holderName: 'A A', country: 'DE' });
  await seedEarnings(ctx, affiliateId, 50_000n);
  const { withdrawal } = await requestWithdrawal(ctx, { affiliateId, amountMinor: 2000n });
  const webhook = await createWebhook(ctx, affiliateId, {
    url: 'https://a.example/hook',
    events: ['order.paid'],
  });
  const postback = await createPostback(ctx, affiliateId, {
    urlTemplate: 'https://a.example/pb?c={click_id}',
    events: ['order.paid'],
  });
  await createOperator(ctx, { email: 'fuzz-ops@example.com', password: 'a long password' });
  const seller = await seedSellerWithStore(ctx, { products: 1 });
  await setSellerEnrollment(ctx, seller.sellerId, {
    storeId: seller.storeId,
    scope: 'store',
    enrolled: true,
  });
  const sellerKey = await issueSellerApiKey(ctx, seller.sellerId);
  const realIds = [affiliateId, withdrawal.id, 'fz-1', webhook.id, postback.id, productId];
  return {
    affiliateKey: (await issueApiKey(ctx, affiliateId)).key,
    sellerKey: sellerKey.key,
    operatorToken: (await issueOperatorToken(ctx, 'fuzz-ops@example.com')).token,
    signMerchant: (body, options = {}) =>
      signMerchantPayload(
        options.secret ?? MERCHANT_SECRET,
        body,
        Math.floor(ctx.clock.now().getTime() / 1000) - (options.stale ? 301 : 0),
      ),
    realIds,
    sellerWords: [seller.sellerId, seller.storeId, ...seller.productIds, sellerKey.id],
    words: [
      ...realIds,
      seeded.link.code,
      url,
      GERMAN_IBAN,
      'blog',
      'default',
      'order.paid',
      'USD',
      'EUR',
      '2026-03-01',
      '2026-03-01T12:00:00.000Z',
      'approved',
      'store',
    ],
  };
}

/**
 * FUZZ_RUNS malformed requests to each of these REST operations, on each database: no
 * answer is a 5xx, a request that certainly breaks a rule is refused, nothing is written,
 * and a route behind a key answers something besides 401 (the fuzz got past the door).
 */
export function describeRestFuzz(title: string, operations: readonly Operation[]): void {
  describeEachDatabase(title, (t) => {
    let app: App;
    let world: RestWorld;

    beforeAll(async () => {
      app = await buildApp(t(), { merchantSecrets: [MERCHANT_SECRET] });
      world = await seedRestWorld(t());
    });

    afterAll(async () => {
      await app?.close();
    });

    it('has operations of the OpenAPI document to fuzz', () => {
      expect(operations.length).toBeGreaterThan(5);
    });

    for (const op of operations) {
      const name = operationName(op);
      it(`${name}: ${FUZZ_RUNS} malformed requests, no 5xx, nothing written`, async () => {
        const check = op.path === '/api/merchant/v1/events' ? merchantCheck : statusCheck();
        const statuses = await fuzzRoute(app, t(), name, restRequests(op, world), check);
        expect({ name, beyond401: [...statuses.keys()].some((s) => s !== 401) }).toEqual({
          name,
          beyond401: true,
        });
      }, 120_000);
    }
  });
}
