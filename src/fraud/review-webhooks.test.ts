import { expect, it } from 'vitest';
import { describeEachDatabase, type TestContext } from '../test/context.js';
import { payFlaggedOrder, seedClickedProduct } from '../test/orders.js';
import { type Received, type Receiver, useReceiver } from '../test/webhooks.js';
import { createPostback } from '../webhooks/create-postback.js';
import { createWebhook } from '../webhooks/create-webhook.js';
import { deliverDue } from '../webhooks/deliver.js';
import { invalidateFlag, releaseFlag } from './resolve-flag.js';

type Event = { id: string; type: string; data: Record<string, unknown> };
const events = (receiver: Receiver) =>
  receiver.requests.map((r: Received) => JSON.parse(r.body) as Event);

describeEachDatabase('a fraud review, as the affiliate hears of it', (t) => {
  const receiver = useReceiver(t);

  /** An affiliate subscribed to every order event, and an order paid 2 s after its click. */
  async function heldOrder(ctx: TestContext, orderId: string) {
    const seeded = await seedClickedProduct(ctx, { minutesAgo: 0 });
    await createWebhook(ctx, seeded.affiliate.id, {
      url: `${receiver.url}/hook`,
      events: ['order.paid', 'order.held', 'order.released', 'order.invalid'],
    });
    return { ...seeded, flag: await payFlaggedOrder(ctx, seeded, orderId) };
  }

  it('sends order.held with the reasons when paid, then order.released once when released', async () => {
    const ctx = t();
    const { flag, affiliate } = await heldOrder(ctx, 'hook-held-1');
    expect(await deliverDue(ctx)).toMatchObject({ delivered: 2, failed: 0 });
    const [held, paid] = events(receiver).sort((a, b) => a.type.localeCompare(b.type));
    expect(paid).toMatchObject({ type: 'order.paid', data: { status: 'paid' } });
    expect(held).toMatchObject({
      id: 'order.held:hook-held-1-1',
      type: 'order.held',
      data: {
        order_id: 'hook-held-1',
        sub_order_id: 'hook-held-1-1',
        status: 'held',
        commission: 320,
        currency: 'USD',
        holds: [{ signal: 'click_injection', reason: flag.reason }],
      },
    });

    await releaseFlag(ctx, { flagId: flag.id, operator: 'ops@example.com' });
    expect(await deliverDue(ctx)).toMatchObject({ delivered: 1, failed: 0 });
    expect(events(receiver).at(-1)).toMatchObject({
      id: 'order.released:hook-held-1-1',
      type: 'order.released',
      data: { sub_order_id: 'hook-held-1-1', status: 'released', commission: 320 },
    });
    // A second release is refused and sends nothing.
    await expect(
      releaseFlag(ctx, { flagId: flag.id, operator: 'ops@example.com' }),
    ).rejects.toMatchObject({ code: 'flag_already_resolved' });
    expect(await deliverDue(ctx)).toMatchObject({ delivered: 0 });
    expect(events(receiver)).toHaveLength(3);

    // Postbacks carry conversions only: a hold is no state a tracker has.
    await expect(
      createPostback(ctx, affiliate.id, {
        urlTemplate: `${receiver.url}/pb?o={order_id}`,
        events: ['order.held'],
      }),
    ).rejects.toMatchObject({ code: 'unknown_event_type' });
  });

  it('sends order.invalid, not order.released, when the operator invalidates the order', async () => {
    const ctx = t();
    const { flag } = await heldOrder(ctx, 'hook-held-2');
    await deliverDue(ctx);
    await invalidateFlag(ctx, { flagId: flag.id, operator: 'ops@example.com', note: 'a bot' });
    expect(await deliverDue(ctx)).toMatchObject({ delivered: 1, failed: 0 });
    expect(
      events(receiver)
        .map((e) => e.type)
        .sort(),
    ).toEqual(['order.held', 'order.invalid', 'order.paid']);
    expect(events(receiver).find((e) => e.type === 'order.invalid')?.data).toMatchObject({
      status: 'invalid',
      reason: expect.stringMatching(/^fraud: /),
    });
  });
});
