import { expect, it } from 'vitest';
import { createTrackingId } from '../affiliates/tracking-ids.js';
import { DAY_MS } from '../clock.js';
import { runDueJobs } from '../jobs/run-due-jobs.js';
import { ingestEvents } from '../orders/ingest-event.js';
import { verifyMerchantSignature } from '../orders/merchant-signature.js';
import { describeEachDatabase, type TestContext } from '../test/context.js';
import { accept, event, paidEvent, seedClickedProduct } from '../test/orders.js';
import { type Received, useReceiver } from '../test/webhooks.js';
import { orderEvent } from './affiliate-events.js';
import { createPostback } from './create-postback.js';
import { createWebhook } from './create-webhook.js';
import { deliverDue } from './deliver.js';
import { emitEvents } from './emit-events.js';

const body = (r: Received) => JSON.parse(r.body) as { id: string; type: string; data: object };

describeEachDatabase('webhooks and postbacks hear of orders', (t) => {
  const receiver = useReceiver(t);

  /** An affiliate with a click carrying sub-ids, and a webhook for `events`. */
  async function subscribed(ctx: TestContext, events: string[]) {
    const seeded = await seedClickedProduct(ctx, { subs: ['camp-7', null, 'a b&c', null, null] });
    const hook = await createWebhook(ctx, seeded.affiliate.id, {
      url: `${receiver.url}/hook`,
      events,
    });
    const paid = (orderId: string) =>
      paidEvent(ctx, {
        orderId,
        productId: seeded.product.productId,
        clickId: seeded.clickId,
        unitPriceMinor: 2000,
      });
    return { ...seeded, hook, paid };
  }

  it('an order paid reaches the webhook signed and the postback with its template filled', async () => {
    const ctx = t();
    const { hook, affiliate, clickId, paid } = await subscribed(ctx, ['order.paid']);
    await createPostback(ctx, affiliate.id, {
      urlTemplate: `${receiver.url}/pb?cid={click_id}&s1={sub1}&s2={sub2}&s3={sub3}&o={order_id}&c={commission}&cur={currency}&st={status}&x={nope}`,
      events: ['order.paid'],
      trackingId: 'default',
    });
    await accept(ctx, paid('wh-paid'));
    expect(await deliverDue(ctx)).toEqual({ delivered: 2, failed: 0, disabled: 0 });

    const hookCall = receiver.requests.find((r) => r.method === 'POST') as Received;
    expect(hookCall.url).toBe('/hook');
    expect(hookCall.headers).toMatchObject({
      'content-type': 'application/json',
      'affnet-event': 'order.paid',
    });
    expect(hookCall.headers['affnet-delivery']).toMatch(/^dlv_/);
    const signature = hookCall.headers['affnet-signature'] as string;
    expect(() =>
      verifyMerchantSignature(signature, hookCall.body, [hook.secret], ctx.clock.now()),
    ).not.toThrow();
    expect(() =>
      verifyMerchantSignature(signature, hookCall.body, ['whsec_other'], ctx.clock.now()),
    ).toThrow();
    // 2 × 20.00 USD at 8 %: 3.20 of commission, in minor units.
    expect(body(hookCall)).toEqual({
      id: 'order.paid:wh-paid-1',
      type: 'order.paid',
      created_at: ctx.clock.now().toISOString(),
      data: {
        order_id: 'wh-paid',
        sub_order_id: 'wh-paid-1',
        status: 'paid',
        commission: 320,
        currency: 'USD',
        sale_amount: 4000,
        sale_currency: 'USD',
        tracking_id: 'default',
        click_id: clickId,
        sub1: 'camp-7',
        sub2: null,
        sub3: 'a b&c',
        sub4: null,
        sub5: null,
      },
    });
    const postback = receiver.requests.find((r) => r.method === 'GET') as Received;
    expect(postback.url).toBe(
      `/pb?cid=${clickId}&s1=camp-7&s2=&s3=a%20b%26c&o=wh-paid&c=3.20&cur=USD&st=paid&x={nope}`,
    );
    // Delivered: nothing is due any more.
    expect(await deliverDue(ctx)).toEqual({ delivered: 0, failed: 0, disabled: 0 });
  });

  it('settlement sends order.settled, through the fast lane and through the full path', async () => {
    const ctx = t();
    const { paid } = await subscribed(ctx, ['order.settled']);
    const confirmed = (orderId: string) =>
      event(ctx, 'order.receipt_confirmed', {
        order_id: orderId,
        confirmed_at: ctx.clock.now().toISOString(),
      });
    await accept(ctx, paid('wh-fast'));
    await accept(ctx, confirmed('wh-fast'));
    // A partial refund sends its order the full path: settled on what is left.
    await accept(ctx, paid('wh-full'));
    await accept(
      ctx,
      event(ctx, 'order.refunded', {
        order_id: 'wh-full',
        sub_order_id: 'wh-full-1',
        amount_minor: 1000,
        reason: 'one item back',
        refunded_at: ctx.clock.now().toISOString(),
      }),
    );
    await accept(ctx, confirmed('wh-full'));
    expect(await deliverDue(ctx)).toEqual({ delivered: 0, failed: 0, disabled: 0 });
    ctx.clock.advance(60_000);
    expect(await runDueJobs(ctx)).toMatchObject({ settled: 2 });
    expect(await deliverDue(ctx)).toMatchObject({ delivered: 2 });
    const settled = receiver.requests.map(body).sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(settled.map((b) => [b.id, b.type])).toEqual([
      ['order.settled:wh-fast-1', 'order.settled'],
      ['order.settled:wh-full-1', 'order.settled'],
    ]);
    expect(settled[0]?.data).toMatchObject({ status: 'settled', commission: 320, sub1: 'camp-7' });
    expect(settled[1]?.data).toMatchObject({ status: 'settled', commission: 240 });
    // The jobs again settle nothing and send nothing twice.
    await runDueJobs(ctx);
    expect(await deliverDue(ctx)).toMatchObject({ delivered: 0 });
  });

  it('a full refund and an expired order send order.invalid with the commission voided', async () => {
    const ctx = t();
    const { paid } = await subscribed(ctx, ['order.invalid', 'order.settled']);
    await accept(ctx, paid('wh-refund'));
    await accept(
      ctx,
      event(ctx, 'order.refunded', {
        order_id: 'wh-refund',
        sub_order_id: 'wh-refund-1',
        amount_minor: 4000,
        reason: 'returned',
        refunded_at: ctx.clock.now().toISOString(),
      }),
    );
    await accept(ctx, paid('wh-expired'));
    ctx.clock.advance(181 * DAY_MS);
    // (Orders of the tests before expire too; their webhooks did not ask for order.invalid.)
    await runDueJobs(ctx);
    expect(await deliverDue(ctx)).toMatchObject({ delivered: 2 });
    const invalid = receiver.requests.map(body).sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(invalid.map((b) => b.id)).toEqual([
      'order.invalid:wh-expired-1',
      'order.invalid:wh-refund-1',
    ]);
    expect(invalid[1]?.data).toMatchObject({ status: 'invalid', commission: 320, currency: 'USD' });
    expect(invalid[1]?.data).toHaveProperty('reason', expect.stringContaining('refund'));
  });

  it('the order.paid events of a batch each reach the webhook', async () => {
    const ctx = t();
    const { paid } = await subscribed(ctx, ['order.paid']);
    const outcomes = await ingestEvents(ctx, [paid('wh-b1'), paid('wh-b2')]);
    expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted']);
    expect(await deliverDue(ctx)).toMatchObject({ delivered: 2 });
    expect(receiver.requests.map((r) => body(r).id).sort()).toEqual([
      'order.paid:wh-b1-1',
      'order.paid:wh-b2-1',
    ]);
  });

  it('the same event emitted twice, or a merchant event replayed, is delivered once', async () => {
    const ctx = t();
    const { affiliate, hook, paid } = await subscribed(ctx, ['order.paid', 'order.settled']);
    const settled = orderEvent('order.settled', {
      affiliateId: affiliate.id,
      trackingId: null,
      clickId: null,
      orderId: 'wh-twice',
      subOrderId: 'wh-twice-1',
      commissionMinor: 320n,
      currency: 'USD',
      saleMinor: 4000n,
      saleCurrency: 'USD',
    });
    await emitEvents(ctx, [settled]);
    await emitEvents(ctx, [settled, settled]);
    const order = paid('wh-replayed');
    await accept(ctx, order);
    expect(await accept(ctx, order)).toMatchObject({ replayed: true });
    const rows = await ctx.db
      .selectFrom('deliveries')
      .select('event_key')
      .where('target_id', '=', hook.id)
      .orderBy('event_key')
      .execute();
    expect(rows.map((r) => r.event_key)).toEqual([
      'order.paid:wh-replayed-1',
      'order.settled:wh-twice-1',
    ]);
    expect(await deliverDue(ctx)).toMatchObject({ delivered: 2 });
  });

  it('a postback for one tracking id hears only of its orders; unsubscribed affiliates cost nothing', async () => {
    const ctx = t();
    const { affiliate, paid } = await subscribed(ctx, ['order.settled']);
    await createTrackingId(ctx, affiliate.id, 'other');
    await createPostback(ctx, affiliate.id, {
      urlTemplate: `${receiver.url}/other?o={order_id}`,
      events: ['order.paid'],
      trackingId: 'other',
    });
    await createPostback(ctx, affiliate.id, {
      urlTemplate: `${receiver.url}/all?o={order_id}`,
      events: ['order.paid'],
    });
    await accept(ctx, paid('wh-tracking'));
    // Another affiliate, with nothing subscribed: the order writes no delivery.
    const quiet = await seedClickedProduct(ctx);
    await accept(
      ctx,
      paidEvent(ctx, {
        orderId: 'wh-quiet',
        productId: quiet.product.productId,
        clickId: quiet.clickId,
      }),
    );
    expect(await deliverDue(ctx)).toMatchObject({ delivered: 1 });
    expect(receiver.requests.map((r) => r.url)).toEqual(['/all?o=wh-tracking']);
    const quietRows = await ctx.db
      .selectFrom('deliveries')
      .select('id')
      .where('affiliate_id', '=', quiet.affiliate.id)
      .execute();
    expect(quietRows).toEqual([]);
  });
});
