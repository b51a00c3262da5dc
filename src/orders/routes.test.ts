import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../server.js';
import { describeEachDatabase } from '../test/context.js';
import { event, paidEvent, seedClickedProduct } from '../test/orders.js';
import { signMerchantPayload } from './merchant-signature.js';

const NEW_SECRET = 'msk_new_secret_for_tests_0123456789';
const OLD_SECRET = 'msk_old_secret_for_tests_0123456789';

describeEachDatabase('POST /api/merchant/v1/events', (t) => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    app = await buildApp(t(), { merchantSecrets: [NEW_SECRET, OLD_SECRET] });
  });
  afterAll(() => app.close());

  const post = (body: string, signature?: string) =>
    app.inject({
      method: 'POST',
      url: '/api/merchant/v1/events',
      headers: {
        'content-type': 'application/json',
        ...(signature ? { 'affnet-signature': signature } : {}),
      },
      payload: body,
    });
  const nowS = () => Math.floor(t().clock.now().getTime() / 1000);
  const signed = (body: unknown, secret = NEW_SECRET, at = nowS()) => {
    const text = JSON.stringify(body);
    return post(text, signMerchantPayload(secret, text, at));
  };

  it('refuses unsigned, stale, badly signed and malformed requests', async () => {
    const body = JSON.stringify(event(t(), 'order.cancelled', { order_id: 'x' }));
    const cases = [
      await post(body),
      await post(body, signMerchantPayload(NEW_SECRET, body, nowS() - 301)),
      await post(body, signMerchantPayload('msk_some_other_secret_000000', body, nowS())),
      await post(`${body} `, signMerchantPayload(NEW_SECRET, body, nowS())),
      await post(body, 'v1=abc'),
    ];
    for (const response of cases) {
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('invalid_signature');
    }
    const bad = '{"events": [';
    const malformed = await post(bad, signMerchantPayload(NEW_SECRET, bad, nowS()));
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('malformed_body');
  });

  it('accepts either secret while rotating, answers a single event with its own status', async () => {
    const ctx = t();
    const seeded = await seedClickedProduct(ctx);
    const paid = paidEvent(ctx, {
      orderId: 'h-1',
      productId: seeded.product.productId,
      clickId: seeded.clickId,
    });
    const first = await signed(paid, OLD_SECRET);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ status: 'accepted', replayed: false, order_id: 'h-1' });
    expect((await signed(paid)).json()).toMatchObject({ status: 'accepted', replayed: true });
    const unknown = await signed(
      event(ctx, 'order.shipped', {
        order_id: 'nope',
        shipping_method: 'DHL',
        shipped_at: ctx.clock.now().toISOString(),
      }),
    );
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('order_not_found');
  });

  it('reports each event of a batch, the refused ones without stopping the rest', async () => {
    const ctx = t();
    const seeded = await seedClickedProduct(ctx);
    const response = await signed({
      events: [
        paidEvent(ctx, {
          orderId: 'h-2',
          productId: seeded.product.productId,
          clickId: seeded.clickId,
        }),
        event(ctx, 'order.refunded', {
          order_id: 'h-2',
          sub_order_id: 'h-2-1',
          amount_minor: 999_999,
        }),
        event(ctx, 'order.refunded', { order_id: 'h-2', sub_order_id: 'h-2-1', amount_minor: -1 }),
        event(ctx, 'order.shipped', {
          order_id: 'h-2',
          shipping_method: 'DHL',
          shipped_at: ctx.clock.now().toISOString(),
        }),
      ],
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ accepted: 2, rejected: 2 });
    expect(body.results.map((r: { status: string }) => r.status)).toEqual([
      'accepted',
      'rejected',
      'rejected',
      'accepted',
    ]);
    expect(body.results[1].error).toMatchObject({ code: 'refund_exceeds_paid', http_status: 422 });
    expect(body.results[2].error).toMatchObject({ code: 'invalid_request', http_status: 400 });
    // The refused refund got as far as recording its event before the check refused it:
    // its savepoint rolled that back, and nothing else of the batch.
    const stored = await ctx.db
      .selectFrom('merchant_events')
      .select('id')
      .where('order_id', '=', 'h-2')
      .execute();
    expect(stored.map((e) => e.id).sort()).toEqual([body.results[0].id, body.results[3].id].sort());
    const tooMany = await signed({
      events: Array.from({ length: 501 }, () => event(ctx, 'order.cancelled', { order_id: 'h-2' })),
    });
    expect(tooMany.statusCode).toBe(400);
  });
});
