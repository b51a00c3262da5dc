import { expect, it } from 'vitest';
import { describeEachDatabase } from '../test/context.js';
import { accept, event, paidEvent, seedClickedProduct } from '../test/orders.js';
import {
  countSubOrdersByStatus,
  orderDisputes,
  recentSubOrders,
  subOrdersAfter,
} from './operator-orders.js';

describeEachDatabase("the operator's order listings", (t) => {
  it('pages every sub-order newest first, by status, and in id order for exports', async () => {
    const ctx = t();
    const seeded = await seedClickedProduct(ctx);
    const pay = (orderId: string, subOrders = 1) =>
      accept(
        ctx,
        paidEvent(ctx, {
          orderId,
          productId: seeded.product.productId,
          clickId: seeded.clickId,
          subOrders,
        }),
      );
    await pay('op-b', 2);
    ctx.clock.advance(60_000);
    await pay('op-a');
    ctx.clock.advance(60_000);
    await accept(ctx, paidEvent(ctx, { orderId: 'op-c', productId: seeded.product.productId }));

    const ids = (rows: { subOrderId: string }[]) => rows.map((r) => r.subOrderId);
    const first = await recentSubOrders(ctx.db, { limit: 2 });
    expect(ids(first)).toEqual(['op-c-1', 'op-a-1']);
    const last = first.at(-1) as { paidAt: string; subOrderId: string };
    const second = await recentSubOrders(ctx.db, { before: last, limit: 2 });
    expect(ids(second)).toEqual(['op-b-2', 'op-b-1']);
    expect(ids(await recentSubOrders(ctx.db, { status: 'invalid', limit: 10 }))).toEqual([
      'op-c-1',
    ]);
    expect(second[0]).toMatchObject({
      orderId: 'op-b',
      affiliateId: seeded.affiliate.id,
      status: 'payment_completed',
      paidMinor: 3998n,
      commissionMinor: 320n,
      settledMinor: null,
    });

    const page = await subOrdersAfter(ctx.db, { afterId: 'op-a-1', limit: 2 });
    expect(ids(page)).toEqual(['op-b-1', 'op-b-2']);
    expect(
      ids(await subOrdersAfter(ctx.db, { afterId: '', status: 'invalid', limit: 10 })),
    ).toEqual(['op-c-1']);
    expect(await countSubOrdersByStatus(ctx.db)).toEqual({
      payment_completed: 3,
      buyer_confirmed_receipt: 0,
      completed_settlement: 0,
      invalid: 1,
    });
  });

  it("pairs an order's disputes by id, with the refund a closing granted", async () => {
    const ctx = t();
    const at = ctx.clock.now().toISOString();
    await accept(
      ctx,
      event(ctx, 'order.dispute_opened', { order_id: 'op-a', dispute_id: 'd1', opened_at: at }),
    );
    await accept(
      ctx,
      event(ctx, 'order.dispute_opened', { order_id: 'op-a', dispute_id: 'd2', opened_at: at }),
    );
    await accept(
      ctx,
      event(ctx, 'order.dispute_closed', {
        order_id: 'op-a',
        dispute_id: 'd1',
        closed_at: at,
        refund: { sub_order_id: 'op-a-1', amount_minor: 500 },
      }),
    );
    expect(await orderDisputes(ctx.db, 'op-a')).toEqual([
      {
        disputeId: 'd1',
        openedAt: at,
        closedAt: at,
        refund: { subOrderId: 'op-a-1', amountMinor: 500n },
      },
      { disputeId: 'd2', openedAt: at, closedAt: null, refund: null },
    ]);
    expect(await orderDisputes(ctx.db, 'op-b')).toEqual([]);
  });
});
