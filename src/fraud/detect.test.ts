import { expect, it } from 'vitest';
import { linkBuyerAccount } from '../affiliates/buyer-accounts.js';
import { ulid } from '../lib/ulid.js';
import { ingestEvents } from '../orders/ingest-event.js';
import { updateSettings } from '../settings/update-settings.js';
import { describeEachDatabase, type TestContext } from '../test/context.js';
import { accept, event, paidEvent, seedClick, seedClickedProduct } from '../test/orders.js';
import type { ClickEvent } from '../tracking/click.js';
import { UniqueWindow } from '../tracking/unique-window.js';
import { writeClickBatch } from '../tracking/write-click-batch.js';
import { listFlags } from './list-flags.js';

type Seeded = Awaited<ReturnType<typeof seedClickedProduct>>;

/** `count` clicks on the seeded link, spread over the `spreadSeconds` before now. */
async function clicks(
  ctx: TestContext,
  seeded: Seeded,
  count: number,
  options: { ipHash?: (i: number) => string; referrer?: string | null; spreadSeconds: number },
) {
  const now = ctx.clock.now().getTime();
  const batch: ClickEvent[] = Array.from({ length: count }, (_, i) => {
    const at = now - Math.floor(((i + 1) * options.spreadSeconds * 1000) / (count + 1));
    return {
      id: ulid(at),
      clickedAt: new Date(at).toISOString(),
      linkId: seeded.link.id,
      affiliateId: seeded.affiliate.id,
      trackingId: seeded.trackingRowId,
      subs: [null, null, null, null, null],
      ipHash: options.ipHash?.(i) ?? `burst-${i}-${at}`,
      userAgent: null,
      referrer: options.referrer ?? null,
      country: null,
      isBot: false,
    };
  });
  await writeClickBatch(ctx, new UniqueWindow(), batch);
}

const openFlags = async (ctx: TestContext, affiliateId: string) =>
  (await listFlags(ctx.db, { affiliate_id: affiliateId, open: false })).map((f) => ({
    order: f.orderId,
    signal: f.signal,
    resolution: f.resolution,
  }));

describeEachDatabase('fraud signals at order.paid', (t) => {
  it('flags click injection: paid under 10 s after the click, not at 10 s', async () => {
    const ctx = t();
    const seeded = await seedClickedProduct(ctx, { minutesAgo: 0 });
    const productId = seeded.product.productId;
    ctx.clock.advance(9_999);
    await accept(ctx, paidEvent(ctx, { orderId: 'inj-1', productId, clickId: seeded.clickId }));
    const late = await seedClick(ctx, seeded.link.code, { secondsAgo: 10 });
    await accept(ctx, paidEvent(ctx, { orderId: 'inj-2', productId, clickId: late.clickId }));
    expect(await openFlags(ctx, seeded.affiliate.id)).toEqual([
      { order: 'inj-1', signal: 'click_injection', resolution: null },
    ]);
    const [flag] = await listFlags(ctx.db, { affiliate_id: seeded.affiliate.id });
    expect(flag?.reason).toBe('the order was paid 9.9 s after its click');
  });

  it('flags a click flood: 30 clicks of one visitor in 24 h, not 29', async () => {
    const ctx = t();
    const seeded = await seedClickedProduct(ctx);
    const productId = seeded.product.productId;
    await clicks(ctx, seeded, 28, { ipHash: () => 'flooder', spreadSeconds: 20 * 3600 });
    const click = await seedClick(ctx, seeded.link.code, { minutesAgo: 5, ipHash: 'flooder' });
    await accept(ctx, paidEvent(ctx, { orderId: 'flood-1', productId, clickId: click.clickId }));
    expect(await openFlags(ctx, seeded.affiliate.id)).toEqual([]);
    const again = await seedClick(ctx, seeded.link.code, { minutesAgo: 4, ipHash: 'flooder' });
    await accept(ctx, paidEvent(ctx, { orderId: 'flood-2', productId, clickId: again.clickId }));
    const flags = await listFlags(ctx.db, { affiliate_id: seeded.affiliate.id });
    expect(flags.map((f) => [f.orderId, f.signal, f.reason])).toEqual([
      [
        'flood-2',
        'click_flood',
        "30 clicks from one visitor on the affiliate's links in the 24 h before the order",
      ],
    ]);
    // A day later the old clicks are out of the window.
    ctx.clock.advance(86_400_000);
    const next = await seedClick(ctx, seeded.link.code, { minutesAgo: 5, ipHash: 'flooder' });
    await accept(ctx, paidEvent(ctx, { orderId: 'flood-3', productId, clickId: next.clickId }));
    expect((await openFlags(ctx, seeded.affiliate.id)).length).toBe(1);
  });

  it('flags cookie stuffing: a burst without referrers from many visitors around the click', async () => {
    const ctx = t();
    const seeded = await seedClickedProduct(ctx);
    const productId = seeded.product.productId;
    // 49 clicks without a referrer in the 5 minutes before the order's click, plus that click.
    await clicks(ctx, seeded, 49, { spreadSeconds: 290 });
    const bare = await seedClick(ctx, seeded.link.code, { secondsAgo: 0 });
    const withReferrer = await seedClick(ctx, seeded.link.code, {
      secondsAgo: 0,
      referrer: 'https://blog.example/post',
    });
    ctx.clock.advance(60_000);
    await accept(ctx, paidEvent(ctx, { orderId: 'stuff-1', productId, clickId: bare.clickId }));
    await accept(
      ctx,
      paidEvent(ctx, { orderId: 'stuff-2', productId, clickId: withReferrer.clickId }),
    );
    expect(await openFlags(ctx, seeded.affiliate.id)).toEqual([
      { order: 'stuff-1', signal: 'cookie_stuffing', resolution: null },
    ]);
    const [flag] = await listFlags(ctx.db, { affiliate_id: seeded.affiliate.id });
    expect(flag?.reason).toMatch(/among 50 such clicks .* from 50 visitors within 10 minutes/);
  });

  it('flags an abnormal refund rate: 30 % of the last 30 days, from 20 sub-orders', async () => {
    const ctx = t();
    const seeded = await seedClickedProduct(ctx, { minutesAgo: 10 });
    const productId = seeded.product.productId;
    const paid = async (orderId: string) => {
      ctx.clock.advance(1000);
      await accept(ctx, paidEvent(ctx, { orderId, productId, clickId: seeded.clickId }));
    };
    for (let i = 0; i < 20; i += 1) await paid(`rr-${i}`);
    for (let i = 0; i < 5; i += 1)
      await accept(
        ctx,
        event(ctx, 'order.refunded', {
          order_id: `rr-${i}`,
          sub_order_id: `rr-${i}-1`,
          amount_minor: 3998,
        }),
      );
    await paid('rr-20'); // 5 of 20: 25 %
    expect(await openFlags(ctx, seeded.affiliate.id)).toEqual([]);
    await accept(
      ctx,
      event(ctx, 'order.cancelled', {
        order_id: 'rr-5',
        cancelled_at: ctx.clock.now().toISOString(),
      }),
    );
    await accept(
      ctx,
      event(ctx, 'order.cancelled', {
        order_id: 'rr-6',
        cancelled_at: ctx.clock.now().toISOString(),
      }),
    );
    await paid('rr-21'); // 7 of 21: 33 %
    const flags = await listFlags(ctx.db, { affiliate_id: seeded.affiliate.id });
    expect(flags.map((f) => [f.orderId, f.signal, f.reason])).toEqual([
      [
        'rr-21',
        'refund_rate',
        "7 of the affiliate's 21 sub-orders paid in the last 30 days were refunded in full or cancelled (33.3%)",
      ],
    ]);
  });

  it('records a self-purchase as a flag the rule invalidated at once', async () => {
    const ctx = t();
    const seeded = await seedClickedProduct(ctx);
    await linkBuyerAccount(ctx, { affiliateId: seeded.affiliate.id, buyerId: 'own-buyer' });
    const outcome = await accept(
      ctx,
      paidEvent(ctx, {
        orderId: 'self-1',
        productId: seeded.product.productId,
        clickId: seeded.clickId,
        buyerId: 'own-buyer',
      }),
    );
    expect(outcome.subOrders).toEqual([{ sub_order_id: 'self-1-1', status: 'invalid' }]);
    expect(await listFlags(ctx.db, { affiliate_id: seeded.affiliate.id })).toEqual([]);
    const [flag] = await listFlags(ctx.db, { affiliate_id: seeded.affiliate.id, open: false });
    expect(flag).toMatchObject({
      signal: 'self_purchase',
      resolution: 'invalidated',
      resolvedBy: 'rule',
      reason: "buyer own-buyer is the affiliate's own account",
    });
  });

  it('judges the same in a batch as one event at a time, and not at all when turned off', async () => {
    const ctx = t();
    const seeded = await seedClickedProduct(ctx, { minutesAgo: 0 });
    const productId = seeded.product.productId;
    await clicks(ctx, seeded, 35, { ipHash: () => 'same', spreadSeconds: 3600 });
    const flooded = await seedClick(ctx, seeded.link.code, { minutesAgo: 2, ipHash: 'same' });
    const clean = await seedClick(ctx, seeded.link.code, {
      minutesAgo: 3,
      referrer: 'https://blog.example/',
    });
    ctx.clock.advance(2000);
    const outcomes = await ingestEvents(ctx, [
      paidEvent(ctx, { orderId: 'b-inj', productId, clickId: seeded.clickId }),
      paidEvent(ctx, { orderId: 'b-flood', productId, clickId: flooded.clickId }),
      paidEvent(ctx, { orderId: 'b-clean', productId, clickId: clean.clickId }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(await openFlags(ctx, seeded.affiliate.id)).toEqual([
      { order: 'b-flood', signal: 'click_flood', resolution: null },
      { order: 'b-inj', signal: 'click_injection', resolution: null },
    ]);

    await updateSettings(ctx, {
      values: { fraudClickInjectionSeconds: 0, fraudClickFloodPerVisitor: 0 },
    });
    const fresh = await seedClick(ctx, seeded.link.code, { secondsAgo: 0, ipHash: 'same' });
    await accept(ctx, paidEvent(ctx, { orderId: 'b-off', productId, clickId: fresh.clickId }));
    expect((await openFlags(ctx, seeded.affiliate.id)).map((f) => f.order)).not.toContain('b-off');
    await updateSettings(ctx, {
      values: { fraudClickInjectionSeconds: 10, fraudClickFloodPerVisitor: 30 },
    });
  });
});
