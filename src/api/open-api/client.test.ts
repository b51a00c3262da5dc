import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { issueApiCredentials } from '../../affiliates/api-credentials.js';
import { DAY_MS } from '../../clock.js';
import { runDueJobs } from '../../jobs/run-due-jobs.js';
import { type App, buildApp } from '../../server.js';
import { describeEachDatabase } from '../../test/context.js';
import { accept, event, paidEvent, seedClickedProduct } from '../../test/orders.js';

/**
 * A client written from the reference document alone (../shared/reference/
 * aliexpress-open-api.md), as existing AliExpress tools are: md5 signing, a form POST to
 * /sync, the `<method>_response.resp_result.result` envelope, GMT+8 times. Against a real
 * listening server, it makes links, searches products and follows one order through every
 * status of its life cycle, and sees another order turn Invalid.
 */
class ReferenceClient {
  constructor(
    private readonly base: string,
    private readonly appKey: string,
    private readonly secret: string,
    private readonly now: () => Date,
  ) {}

  async call(method: string, business: Record<string, string>): Promise<Record<string, unknown>> {
    const local = new Date(this.now().getTime() + 8 * 3_600_000);
    const params: Record<string, string> = {
      app_key: this.appKey,
      method,
      sign_method: 'md5',
      timestamp: local.toISOString().slice(0, 19).replace('T', ' '),
      format: 'json',
      v: '2.0',
      simplify: 'true',
      ...business,
    };
    const joined = Object.keys(params)
      .sort()
      .map((k) => `${k}${params[k]}`)
      .join('');
    params.sign = createHash('md5')
      .update(this.secret + joined + this.secret)
      .digest('hex')
      .toUpperCase();
    const res = await fetch(`${this.base}/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: new URLSearchParams(params),
    });
    const body = (await res.json()) as Record<
      string,
      { resp_result?: { resp_code: number; result?: Record<string, unknown> } }
    >;
    const envelope = body[`${method.replaceAll('.', '_')}_response`];
    if (!envelope?.resp_result) throw new Error(`error: ${JSON.stringify(body)}`);
    return envelope.resp_result.resp_code === 200 ? (envelope.resp_result.result ?? {}) : {};
  }

  async orders(status: string, from: Date, to: Date, timeType = 'Payment Completed Time') {
    const fmt = (d: Date) =>
      new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    const result = await this.call('aliexpress.affiliate.order.list', {
      start_time: fmt(from),
      end_time: fmt(to),
      status,
      time_type: timeType,
      page_size: '50',
    });
    const orders =
      (result.orders as { order: { sub_order_id: string; order_status: string }[] } | undefined)
        ?.order ?? [];
    return orders.map((o) => `${o.sub_order_id}:${o.order_status}`);
  }
}

describeEachDatabase('an Open API client written from the reference document', (t) => {
  let app: App;
  let client: ReferenceClient;
  let seeded: Awaited<ReturnType<typeof seedClickedProduct>>;

  beforeAll(async () => {
    const ctx = t();
    seeded = await seedClickedProduct(ctx);
    const { appKey, appSecret } = await issueApiCredentials(ctx, seeded.affiliate.id);
    app = await buildApp(ctx, { publicBaseUrl: 'https://affnet.example' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    client = new ReferenceClient(`http://127.0.0.1:${port}`, appKey, appSecret, () =>
      ctx.clock.now(),
    );
  });
  afterAll(async () => {
    await app.close();
  });

  it('makes links, searches products and follows its orders through every status', async () => {
    const ctx = t();
    const links = await client.call('aliexpress.affiliate.link.generate', {
      promotion_link_type: '0',
      source_values: seeded.product.url,
      tracking_id: 'default',
    });
    expect(links).toMatchObject({ total_result_count: 1 });
    const products = await client.call('aliexpress.affiliate.product.query', {
      keywords: seeded.product.title,
      page_size: '10',
    });
    expect(
      (products.products as { product: { product_title: string }[] }).product[0]?.product_title,
    ).toBe(seeded.product.title);

    const paidAt = ctx.clock.now();
    const from = new Date(paidAt.getTime() - DAY_MS);
    const to = () => new Date(ctx.clock.now().getTime() + DAY_MS);
    for (const orderId of ['life-1', 'life-2'])
      await accept(
        ctx,
        paidEvent(ctx, { orderId, productId: seeded.product.productId, clickId: seeded.clickId }),
      );
    expect(await client.orders('Payment Completed', from, to())).toEqual([
      'life-1-1:Payment Completed',
      'life-2-1:Payment Completed',
    ]);

    await accept(
      ctx,
      event(ctx, 'order.receipt_confirmed', {
        order_id: 'life-1',
        confirmed_at: ctx.clock.now().toISOString(),
      }),
    );
    await accept(
      ctx,
      event(ctx, 'order.refunded', {
        order_id: 'life-2',
        sub_order_id: 'life-2-1',
        amount_minor: 3998,
        reason: 'not as described',
        refunded_at: ctx.clock.now().toISOString(),
      }),
    );
    expect(await client.orders('Buyer Confirmed Receipt', from, to())).toEqual([
      'life-1-1:Buyer Confirmed Receipt',
    ]);
    expect(await client.orders('Invalid', from, to())).toEqual(['life-2-1:Invalid']);

    // The settlement run after receipt (the next daily run by default).
    ctx.clock.advance(DAY_MS);
    await runDueJobs(ctx);
    expect(await client.orders('Completed Settlement', from, to())).toEqual([
      'life-1-1:Completed Settlement',
    ]);
    expect(
      await client.orders('Completed Settlement', from, to(), 'Completed Settlement Time'),
    ).toEqual(['life-1-1:Completed Settlement']);
    expect(await client.orders('Payment Completed', from, to())).toEqual([]);
  });
});
