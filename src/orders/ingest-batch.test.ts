import { expect, it } from 'vitest';
import { affiliateBalance } from '../ledger/affiliate-balance.js';
import { auditLedger } from '../ledger/audit-ledger.js';
import { verifyOrderRollups } from '../reports/verify-order-rollups.js';
import { describeEachDatabase } from '../test/context.js';
import { event, paidEvent, seedClickedProduct } from '../test/orders.js';
import { type EventOutcome, ingestEvent, ingestEvents } from './ingest-event.js';

describeEachDatabase('a batch of merchant events', (t) => {
  it('gives each event the outcome it would have alone, and the same stored order', async () => {
    const ctx = t();
    const seeded = await seedClickedProduct(ctx);
    const paid = (orderId: string) =>
      paidEvent(ctx, {
        orderId,
        productId: seeded.product.productId,
        clickId: seeded.clickId,
        subOrders: 2,
      });
    const a = paid('bt-a');
    const twin = { ...paid('bt-a'), id: 'bt-twin' }; // the same order under another event id
    const clash = paid('bt-c');
    clash.data = {
      ...clash.data,
      sub_orders: [{ ...(clash.data.sub_orders as object[])[0], sub_order_id: 'bt-a-1' }],
    };
    const shipped = event(ctx, 'order.shipped', {
      order_id: 'bt-a',
      shipping_method: 'DHL',
      shipped_at: ctx.clock.now().toISOString(),
    });
    const outcomes = await ingestEvents(ctx, [a, a, twin, clash, shipped, paid('bt-d')]);
    expect(
      outcomes.map((o) =>
        o.status === 'accepted' ? (o.replayed ? 'replayed' : 'accepted') : o.error.code,
      ),
    ).toEqual([
      'accepted',
      'replayed',
      'order_already_paid',
      'duplicate_id',
      'accepted',
      'accepted',
    ]);
    // The same order taken alone, outside any batch, is stored the same way.
    const alone = await ingestEvent(ctx, paid('bt-e'));
    expect(alone.status).toBe('accepted');
    const rows = await ctx.db
      .selectFrom('sub_orders')
      .select([
        'sub_order_id',
        'status',
        'rate_bp',
        'commission_settlement_minor',
        'due_at',
        'explanation',
      ])
      .where('order_id', 'in', ['bt-d', 'bt-e'])
      .orderBy('sub_order_id')
      .execute();
    const strip = (r: (typeof rows)[number]) => ({ ...r, sub_order_id: r.sub_order_id.slice(-2) });
    expect(rows.filter((r) => r.sub_order_id.startsWith('bt-d')).map(strip)).toEqual(
      rows.filter((r) => r.sub_order_id.startsWith('bt-e')).map(strip),
    );
    const transfers = await ctx.db
      .selectFrom('ledger_transfers')
      .select('key')
      .where('ref', 'like', 'bt-%')
      .orderBy('key')
      .execute();
    expect(transfers.map((x) => x.key)).toEqual([
      'commission:bt-a-1',
      'commission:bt-a-2',
      'commission:bt-d-1',
      'commission:bt-d-2',
      'commission:bt-e-1',
      'commission:bt-e-2',
    ]);
    expect(await affiliateBalance(ctx.db, seeded.affiliate.id, 'USD')).toMatchObject({
      estimatedMinor: 320n * 6n,
    });
    expect((await auditLedger(ctx.db)).violations).toEqual([]);
    // A replay of the whole batch changes nothing.
    const again = await ingestEvents(ctx, [a, shipped]);
    expect(again.map((o) => o.status === 'accepted' && o.replayed)).toEqual([true, true]);
  });

  it('takes other events a wave at a time with the outcomes and stored state of one by one', async () => {
    const ctx = t();
    const seeded = await seedClickedProduct(ctx);
    // The same story twice, for orders named `one-…` taken one by one and `bat-…` in a batch.
    const story = (p: string) => {
      const paid = (orderId: string) =>
        paidEvent(ctx, {
          orderId: `${p}${orderId}`,
          productId: seeded.product.productId,
          clickId: seeded.clickId,
          subOrders: 2,
        });
      const now = ctx.clock.now().toISOString();
      const on = (type: string, orderId: string, data: Record<string, unknown> = {}) =>
        event(ctx, type, { order_id: `${p}${orderId}`, ...data });
      const shippedA = on('order.shipped', 'a', { shipping_method: 'DHL', shipped_at: now });
      const refund = (orderId: string, sub: number, amount: number) =>
        on('order.refunded', orderId, {
          sub_order_id: `${p}${orderId}-${sub}`,
          amount_minor: amount,
          reason: 'damaged',
          refunded_at: now,
        });
      const before = [paid('a'), paid('b'), paid('c')];
      const events = [
        on('order.shipped', 'z', { shipping_method: 'DHL', shipped_at: now }), // not paid yet
        paid('z'),
        shippedA,
        on('order.shipped', 'b', { shipping_method: 'PIGEON', shipped_at: now }), // unknown
        refund('a', 1, 1000),
        refund('a', 1, 3000), // above what is left of the 3998 paid
        refund('a', 1, 2998), // exactly what is left
        on('order.receipt_confirmed', 'a', { confirmed_at: now }),
        refund('b', 3, 10), // no such sub-order
        shippedA, // a replay
        { ...shippedA, data: { ...shippedA.data, shipping_method: 'CHINA_POST' } }, // a clash
        on('order.dispute_opened', 'c', { dispute_id: 'd1', opened_at: now }),
        on('order.dispute_closed', 'c', {
          dispute_id: 'd1',
          closed_at: now,
          refund: { sub_order_id: `${p}c-2`, amount_minor: 500 },
        }),
        on('order.cancelled', 'b', { cancelled_at: now, reason: 'buyer' }),
        on('order.shipped', 'z', { shipping_method: 'DHL', shipped_at: now }),
        on('order.cancelled', 'nobody', { cancelled_at: now, reason: 'buyer' }),
      ];
      return { before, events };
    };
    const summary = (outcomes: EventOutcome[], p: string) =>
      JSON.parse(
        JSON.stringify(outcomes)
          .replaceAll(p, '#')
          .replaceAll(/evt-[0-9]+-[a-z0-9]+/g, 'evt'),
      );
    const one = story('one-');
    for (const raw of one.before) await ingestEvent(ctx, raw);
    const alone: EventOutcome[] = [];
    for (const raw of one.events) alone.push(await ingestEvent(ctx, raw));
    const bat = story('bat-');
    await ingestEvents(ctx, bat.before);
    const together = await ingestEvents(ctx, bat.events);
    expect(summary(together, 'bat-')).toEqual(summary(alone, 'one-'));
    expect(together.map((o) => (o.status === 'accepted' ? o.replayed : o.error.code))).toEqual([
      'order_not_found',
      false,
      false,
      'unknown_shipping_method',
      false,
      'refund_exceeds_paid',
      false,
      false,
      'sub_order_not_found',
      true,
      'idempotency_conflict',
      false,
      false,
      false,
      false,
      'order_not_found',
    ]);
    const stored = async (p: string) => ({
      events: (
        await ctx.db
          .selectFrom('merchant_events')
          .select(['type', 'order_id', 'result'])
          .where('order_id', 'like', `${p}%`)
          .orderBy('order_id')
          .orderBy('occurred_at')
          .orderBy('type')
          .execute()
      ).map((e) => ({ ...e, result: e.result.replaceAll(/evt-[0-9]+-[a-z0-9]+/g, 'evt') })),
      subOrders: await ctx.db
        .selectFrom('sub_orders')
        .select(['sub_order_id', 'status', 'invalid_reason', 'due_at', 'settled_minor'])
        .where('order_id', 'like', `${p}%`)
        .orderBy('sub_order_id')
        .execute(),
      transfers: await ctx.db
        .selectFrom('ledger_transfers')
        .select(['key', 'kind', 'amount_minor', 'code'])
        .where('ref', 'like', `${p}%`)
        .orderBy('key')
        .execute(),
    });
    expect(
      JSON.parse(JSON.stringify(await stored('bat-'), bigints).replaceAll('bat-', '#')),
    ).toEqual(JSON.parse(JSON.stringify(await stored('one-'), bigints).replaceAll('one-', '#')));
    expect((await auditLedger(ctx.db)).violations).toEqual([]);
    expect(
      (await verifyOrderRollups(ctx, { affiliateId: seeded.affiliate.id })).differences,
    ).toEqual([]);
  });
});

const bigints = (_key: string, value: unknown) =>
  typeof value === 'bigint' ? value.toString() : value;
