import { beforeAll, expect, it } from 'vitest';
import { showOrder } from '../../orders/show-order.js';
import { type App, buildApp } from '../../server.js';
import { operatorAgent } from '../../test/console.js';
import { describeEachDatabase } from '../../test/context.js';
import { accept, event, paidEvent, seedClickedProduct } from '../../test/orders.js';
import type { WebAgent } from '../../test/web-agent.js';

describeEachDatabase('console: orders', (t) => {
  let app: App;
  let ops: WebAgent;
  let affiliate: { id: string; email: string };

  beforeAll(async () => {
    const ctx = t();
    app = await buildApp(ctx);
    ops = await operatorAgent(app, ctx);
    const seeded = await seedClickedProduct(ctx);
    affiliate = seeded.affiliate;
    await accept(
      ctx,
      paidEvent(ctx, {
        orderId: 'con-1',
        productId: seeded.product.productId,
        clickId: seeded.clickId,
      }),
    );
    await accept(ctx, paidEvent(ctx, { orderId: 'con-2', productId: seeded.product.productId }));
  });

  it('lists recent orders with their status, affiliate and commission, by status', async () => {
    const list = await ops.get('/console/orders');
    expect(list.status).toBe(200);
    expect(list.body).toMatch(/<a href="\/console\/orders\/con-1">con-1<\/a>/);
    expect(list.body).toContain(affiliate.email);
    expect(list.body).toContain('Payment Completed');
    expect(list.body).toContain('39.98 USD'); // 2 × 19.99
    expect(list.body).toContain('3.20 USD<br><span class="muted">estimated</span>'); // 8 %
    expect(list.body).toContain('not attributed'); // con-2 came without a click
    const settled = await ops.get('/console/orders?status=completed_settlement');
    expect(settled.body).not.toContain('con-1');
    expect(settled.body).toContain('No orders in Completed Settlement');
  });

  it('shows each sub-order with how its commission was reached, and an open dispute', async () => {
    const ctx = t();
    const order = await showOrder(ctx.db, 'con-1');
    const page = await ops.get('/console/orders/con-1');
    expect(page.status).toBe(200);
    expect(page.body).toContain('No dispute on this order.');
    expect(page.body).toContain('<dt>Tracking id</dt><dd>default</dd>');
    expect(page.body).toContain('<dt>Commission</dt><dd>3.20 USD</dd>'); // no conversion shown
    for (const line of order.sub_orders[0]?.explanation ?? [])
      expect(page.body).toContain(line.replaceAll('"', '&quot;').replaceAll("'", '&#39;'));

    await accept(
      ctx,
      event(ctx, 'order.dispute_opened', {
        order_id: 'con-1',
        dispute_id: 'dsp-1',
        opened_at: ctx.clock.now().toISOString(),
      }),
    );
    const disputed = await ops.get('/console/orders/con-1');
    expect(disputed.body).toContain('dispute open');
    expect(disputed.body).toMatch(
      /<td>dsp-1<\/td><td>2026-03-01 12:00 UTC<\/td><td><span class="status bad">open/,
    );
    expect((await ops.get('/console/orders/nope')).status).toBe(404);
  });

  it('exports the orders as CSV, one line per sub-order', async () => {
    const csv = await ops.get('/console/exports/orders.csv');
    expect(csv.status).toBe(200);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'order_id,sub_order_id,affiliate_id,affiliate_email,paid_at,product_id,quantity,status,invalid_reason,sale,currency,rate_percent,commission,settled,settlement_currency,fx_rate,confirmed_at,settled_at',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(
      new RegExp(
        `^con-1,con-1-1,${affiliate.id},${affiliate.email},2026-03-01T12:00:00.000Z,p-\\d+,2,payment_completed,,39.98,USD,8.00,3.20,,USD,`,
      ),
    );
    const invalid = await ops.get('/console/exports/orders.csv?status=invalid');
    expect(invalid.body.trim().split('\r\n')).toHaveLength(2);
    expect(invalid.body).toContain('con-2,con-2-1,,');
  });
});
