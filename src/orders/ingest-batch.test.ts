import { expect, it } from 'vitest';
import { affiliateBalance } from '../ledger/affiliate-balance.js';
import { auditLedger } from '../ledger/audit-ledger.js';
import { describeEachDatabase } from '../test/context.js';
import { event, paidEvent, seedClickedProduct } from '../test/orders.js';
import { ingestEvent, ingestEvents } from './ingest-event.js';

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
});
