import { expect, it } from 'vitest';
import { describeEachDatabase } from '../test/context.js';
import { paidEvent, seedClickedProduct } from '../test/orders.js';
import { ingestEvent, ingestEvents } from './ingest-event.js';

// Found by the fuzz (src/api/fuzz-operator.test.ts) on PostgreSQL, which refuses a NUL in
// text: a batch failed whole (500) when any event's id held one, as the batch reads its
// events' ids ahead; an order.paid whose click_id held one failed its click lookup.
describeEachDatabase('a NUL character in merchant events', (t) => {
  it('refuses an order.paid whose click_id holds a NUL, alone or in a batch', async () => {
    const ctx = t();
    const { product } = await seedClickedProduct(ctx);
    const paid = (orderId: string) =>
      paidEvent(ctx, { orderId, productId: product.productId, clickId: 'a\u0000b' });
    for (const outcome of [
      await ingestEvent(ctx, paid('nul-1')),
      ...(await ingestEvents(ctx, [paid('nul-2')])),
    ])
      expect(outcome).toMatchObject({
        status: 'rejected',
        error: { code: 'invalid_request', message: expect.stringMatching(/click_id/) },
      });
  });

  it('refuses only the event whose id holds a NUL, and takes the rest of the batch', async () => {
    const ctx = t();
    const { product, clickId } = await seedClickedProduct(ctx);
    const good = paidEvent(ctx, { orderId: 'nul-3', productId: product.productId, clickId });
    const bad = { ...paidEvent(ctx, { orderId: 'nul-4', productId: product.productId }) };
    bad.id = 'evt\u0000x';
    const outcomes = await ingestEvents(ctx, [bad, good]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'accepted']);
  });
});
