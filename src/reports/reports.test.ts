import { beforeAll, expect, it } from 'vitest';
import { createTrackingId } from '../affiliates/tracking-ids.js';
import { setFxRate } from '../fx/set-fx-rate.js';
import { updateSettings } from '../settings/update-settings.js';
import { describeEachDatabase, type TestContext } from '../test/context.js';
import { seedProduct } from '../test/factories.js';
import { accept, event, paidEvent, seedClick, seedClickedProduct } from '../test/orders.js';
import { BASE } from '../test/tracking.js';
import { createLinks } from '../tracking/create-links.js';
import { breakdown } from './breakdown.js';
import { dailySeries } from './daily-series.js';
import { getDashboard } from './get-dashboard.js';
import { topProducts } from './top-products.js';

/**
 * One affiliate's February and March 2026: a click and an order (3.20) on 10 February; a
 * click (sub1 'mar') and an order of another product (8.00) on 1 March; on 15 March (today)
 * a click through a second tracking id 'blog' (sub1 'ides') and two orders, one refunded in
 * full.
 */
async function seedMonths(ctx: TestContext) {
  ctx.clock.set('2026-02-10T12:00:00.000Z');
  const seeded = await seedClickedProduct(ctx, { subs: ['feb', null, null, null, null] });
  const affiliateId = seeded.affiliate.id;
  const other = await seedProduct(ctx, seeded.storeId, seeded.product.categoryId, {
    title: 'Travel Mug',
  });
  const pay = (orderId: string, clickId: string, productId: string, unitPriceMinor = 1999) =>
    accept(
      ctx,
      paidEvent(ctx, {
        orderId,
        productId,
        clickId,
        quantity: unitPriceMinor === 1999 ? 2 : 1,
        unitPriceMinor,
      }),
    );
  await pay('m-1', seeded.clickId, seeded.product.productId);

  ctx.clock.set('2026-03-01T08:00:00.000Z');
  const march = await seedClick(ctx, seeded.link.code, {
    minutesAgo: 30,
    subs: ['mar', null, null, null, null],
  });
  await pay('m-2', march.clickId, other.productId, 10_000);

  ctx.clock.set('2026-03-15T09:00:00.000Z');
  await createTrackingId(ctx, affiliateId, 'blog');
  const [blogLink] = await createLinks(
    ctx,
    { affiliateId, urls: [seeded.product.url], trackingId: 'blog' },
    BASE,
  );
  const ides = await seedClick(ctx, blogLink?.code as string, {
    minutesAgo: 10,
    subs: ['ides', null, null, null, null],
  });
  await pay('m-3', ides.clickId, seeded.product.productId);
  await pay('m-4', ides.clickId, seeded.product.productId);
  await accept(
    ctx,
    event(ctx, 'order.refunded', { order_id: 'm-4', sub_order_id: 'm-4-1', amount_minor: 3998 }),
  );
  return { affiliateId, product: seeded.product, other };
}

describeEachDatabase('reports from the rollups', (t) => {
  let a: Awaited<ReturnType<typeof seedMonths>>;
  beforeAll(async () => {
    a = await seedMonths(t());
  });

  it('counts clicks and orders on their UTC day: today, this month so far, last month', async () => {
    const d = await getDashboard(t(), { affiliateId: a.affiliateId });
    expect(d).toEqual({
      currency: 'USD',
      otherCurrencies: [],
      today: {
        from: '2026-03-15',
        to: '2026-03-15',
        clicks: 1n,
        uniqueClicks: 1n,
        leads: 2n,
        approvedLeads: 0n,
        invalidLeads: 1n,
        estimatedMinor: 320n,
        settledMinor: 0n,
        clawedBackMinor: 0n,
      },
      thisMonth: expect.objectContaining({
        from: '2026-03-01',
        to: '2026-03-15',
        clicks: 2n,
        leads: 3n,
        invalidLeads: 1n,
        estimatedMinor: 800n + 320n,
      }),
      lastMonth: expect.objectContaining({
        from: '2026-02-01',
        to: '2026-02-28',
        clicks: 1n,
        leads: 1n,
        estimatedMinor: 320n,
      }),
    });
  });

  it('takes today from the clock', async () => {
    const ctx = t();
    ctx.clock.set('2026-04-02T00:30:00.000Z');
    try {
      const d = await getDashboard(ctx, { affiliateId: a.affiliateId });
      expect(d.today).toMatchObject({ from: '2026-04-02', clicks: 0n, leads: 0n });
      expect(d.lastMonth).toMatchObject({ from: '2026-03-01', to: '2026-03-31', leads: 3n });
    } finally {
      ctx.clock.set('2026-03-15T09:00:00.000Z');
    }
  });

  it('gives every day of the last 30 or 90 days, zeros where nothing happened', async () => {
    const thirty = await dailySeries(t(), { affiliateId: a.affiliateId, days: 30 });
    expect(thirty.days).toHaveLength(30);
    expect([thirty.from, thirty.to]).toEqual(['2026-02-14', '2026-03-15']);
    expect(thirty.days[0]).toMatchObject({ day: '2026-02-14', clicks: 0n, leads: 0n });
    expect(thirty.days.find((d) => d.day === '2026-03-01')).toMatchObject({
      clicks: 1n,
      leads: 1n,
      estimatedMinor: 800n,
    });
    expect(thirty.days.reduce((n, d) => n + d.leads, 0n)).toBe(3n);
    const ninety = await dailySeries(t(), { affiliateId: a.affiliateId, days: 90 });
    expect(ninety.days).toHaveLength(90);
    expect(ninety.days.map((d) => d.day)).toEqual([...ninety.days.map((d) => d.day)].sort());
    expect(ninety.days.find((d) => d.day === '2026-02-10')).toMatchObject({
      clicks: 1n,
      leads: 1n,
    });
  });

  it('ranks products by estimated commission, with their titles, Invalid leads not counted', async () => {
    const top = await topProducts(t(), { affiliateId: a.affiliateId });
    expect(top).toMatchObject({ from: '2026-03-01', to: '2026-03-15', currency: 'USD' });
    expect(top.products).toEqual([
      { productId: a.other.productId, title: 'Travel Mug', leads: 1n, estimatedMinor: 800n },
      { productId: a.product.productId, title: a.product.title, leads: 2n, estimatedMinor: 320n },
    ]);
    const feb = await topProducts(t(), { affiliateId: a.affiliateId, period: 'last_month' });
    expect(feb.products.map((p) => [p.productId, p.estimatedMinor])).toEqual([
      [a.product.productId, 320n],
    ]);
    const one = await topProducts(t(), {
      affiliateId: a.affiliateId,
      from: '2026-02-01',
      to: '2026-03-15',
      limit: 1,
    });
    expect(one.products.map((p) => [p.productId, p.leads])).toEqual([[a.other.productId, 1n]]);
  });

  it('puts clicks and orders side by side by tracking id and by sub1', async () => {
    const byTracking = await breakdown(t(), { affiliateId: a.affiliateId, by: 'tracking_id' });
    expect(
      byTracking.rows.map((r) => [r.key, r.clicks, r.leads, r.invalidLeads, r.estimatedMinor]),
    ).toEqual([
      ['default', 1n, 1n, 0n, 800n],
      ['blog', 1n, 2n, 1n, 320n],
    ]);
    const bySub = await breakdown(t(), {
      affiliateId: a.affiliateId,
      by: 'sub1',
      from: '2026-02-01',
      to: '2026-03-15',
    });
    expect(bySub.rows.map((r) => [r.key, r.clicks, r.leads])).toEqual([
      ['mar', 1n, 1n],
      ['feb', 1n, 1n],
      ['ides', 1n, 2n],
    ]);
    expect(bySub.total).toBe(3);
  });

  it('refuses ranges it will not read', async () => {
    const ctx = t();
    await expect(
      breakdown(ctx, {
        affiliateId: a.affiliateId,
        by: 'sub1',
        from: '2026-03-02',
        to: '2026-03-01',
      }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(
      topProducts(ctx, { affiliateId: a.affiliateId, from: '2025-01-01', to: '2026-03-01' }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(
      dailySeries(ctx, { affiliateId: a.affiliateId, days: 45 as 30 }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describeEachDatabase('reports after the settlement currency changes', (t) => {
  it('keeps each currency apart: amounts in the currency asked for, leads of all', async () => {
    const ctx = t();
    const seeded = await seedClickedProduct(ctx);
    const affiliateId = seeded.affiliate.id;
    const pay = (orderId: string) =>
      accept(
        ctx,
        paidEvent(ctx, { orderId, productId: seeded.product.productId, clickId: seeded.clickId }),
      );
    await pay('c-1'); // 3.20 USD
    await updateSettings(ctx, { values: { settlementCurrency: 'EUR' } });
    await setFxRate(ctx, { currency: 'USD', rate: '0.5', effectiveAt: ctx.clock.now() });
    await pay('c-2'); // 39.98 USD × 8 % = 3.20 USD = 1.60 EUR
    const eur = await getDashboard(ctx, { affiliateId });
    expect(eur).toMatchObject({
      currency: 'EUR',
      otherCurrencies: ['USD'],
      today: { leads: 2n, estimatedMinor: 160n },
    });
    const usd = await getDashboard(ctx, { affiliateId, currency: 'usd' });
    expect(usd).toMatchObject({
      currency: 'USD',
      otherCurrencies: ['EUR'],
      today: { leads: 2n, estimatedMinor: 320n },
    });
    const top = await topProducts(ctx, { affiliateId, period: 'today' });
    expect(top.products).toMatchObject([{ leads: 1n, estimatedMinor: 160n }]);
  });
});
