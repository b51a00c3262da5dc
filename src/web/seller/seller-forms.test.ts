import { beforeAll, expect, it } from 'vitest';
import { rateFor } from '../../catalog/rate-for.js';
import { DAY_MS } from '../../clock.js';
import { setSellerEnrollment } from '../../sellers/seller-enrollment.js';
import { type App, buildApp } from '../../server.js';
import { updateSettings } from '../../settings/update-settings.js';
import { describeEachDatabase } from '../../test/context.js';
import { seedSellerWithLogin, sellerAgent } from '../../test/sellers.js';
import type { WebAgent } from '../../test/web-agent.js';

/** The error shown at a field of the form, if any. */
const fieldError = (body: string, name: string) =>
  new RegExp(`id="f-${name}-error">([^<]+)<`).exec(body)?.[1];
const formError = (body: string) => /class="form-error" role="alert">([^<]+)</.exec(body)?.[1];

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describeEachDatabase('the seller center forms: rates, enrollment, import', (t) => {
  let app: App;
  let a: Awaited<ReturnType<typeof seedSellerWithLogin>>;
  let b: Awaited<ReturnType<typeof seedSellerWithLogin>>;
  let agent: WebAgent;
  /** Every rule and enrollment, to show a refused form changed nothing. */
  const plans = async () =>
    JSON.stringify(
      [
        await t().db.selectFrom('commission_rules').selectAll().orderBy('id').execute(),
        await t().db.selectFrom('enrollments').selectAll().orderBy('id').execute(),
      ],
      (_key, value) => (typeof value === 'bigint' ? String(value) : value),
    );

  beforeAll(async () => {
    const ctx = t();
    app = await buildApp(ctx);
    a = await seedSellerWithLogin(ctx);
    b = await seedSellerWithLogin(ctx);
    agent = await sellerAgent(app, a.email);
  });

  it('joins the program, sets rates now and from a later day, and shows them', async () => {
    const ctx = t();
    const later = day(ctx.clock.now().getTime() + 3 * DAY_MS);
    const scheduled = await agent.post(`/seller/stores/${a.storeId}/membership`, {
      enrolled: 'yes',
      from: later,
    });
    expect(scheduled.location).toBe('/seller?done=scheduled');
    expect((await agent.get('/seller')).body).toContain(
      `Scheduled: joins the program on ${later} 00:00 UTC.`,
    );
    const joined = await agent.post(`/seller/stores/${a.storeId}/membership`, { enrolled: 'yes' });
    expect(joined.location).toBe('/seller?done=joined');
    expect((await agent.get('/seller')).body).toContain('In the program');
    const store = await agent.post(`/seller/stores/${a.storeId}/rate`, { rate: '6' });
    expect(store.status).toBe(303);
    const now = await agent.post(`/seller/products/${a.lamp.productId}/rate`, { rate: '12.5' });
    expect(now.location).toBe(`/seller/products/${a.lamp.productId}?done=rate`);
    expect((await rateFor(ctx.db, a.lamp.productId, ctx.clock.now())).rateBp).toBe(1250);
    await agent.post(`/seller/products/${a.lamp.productId}/rate`, {
      rate: '20',
      effectiveFrom: later,
    });
    expect((await rateFor(ctx.db, a.lamp.productId, ctx.clock.now())).rateBp).toBe(1250);
    expect((await rateFor(ctx.db, a.lamp.productId, new Date(`${later}T00:00:00Z`))).rateBp).toBe(
      2000,
    );
    const page = await agent.get(`/seller/products/${a.lamp.productId}`);
    expect(page.body).toContain('Rate now <strong>12.50%</strong>');
    expect(page.body).toContain(`rate 20.00% from ${later} 00:00 UTC`);
    const hot = await agent.post(`/seller/products/${a.lamp.productId}/hot-rate`, {
      hotRate: '30',
    });
    expect(hot.status).toBe(303);
    const category = await agent.post(`/seller/stores/${a.storeId}/category-rate`, {
      categoryId: a.categories[1] as string,
      rate: '8',
    });
    expect(category.status).toBe(303);
    expect((await rateFor(ctx.db, a.chair.productId, ctx.clock.now())).rateBp).toBe(800);
    const rates = await agent.get('/seller/rates');
    expect(rates.body).toContain('20.00%');
    expect(rates.body).toContain(later);
  });

  it('refuses bad input on the form, with the reason, and changes nothing', async () => {
    const ctx = t();
    await setSellerEnrollment(ctx, a.sellerId, {
      storeId: a.storeId,
      scope: 'store',
      enrolled: true,
    });
    const before = await plans();
    const yesterday = day(ctx.clock.now().getTime() - DAY_MS);
    const cases: [string, Record<string, string>, number, string, RegExp][] = [
      [
        `/seller/products/${a.lamp.productId}/rate`,
        { rate: '60' },
        422,
        'rate',
        /bounds|between|50/,
      ],
      [
        `/seller/products/${a.lamp.productId}/rate`,
        { rate: '2' },
        422,
        'rate',
        /bounds|between|3\.5/,
      ],
      [`/seller/products/${a.lamp.productId}/rate`, { rate: 'ten' }, 422, 'rate', /percentage/],
      [
        `/seller/products/${a.lamp.productId}/rate`,
        { rate: '10', effectiveFrom: yesterday },
        422,
        'effectiveFrom',
        /past/,
      ],
      [
        `/seller/products/${a.lamp.productId}/hot-rate`,
        { hotRate: '4' },
        422,
        'hotRate',
        /beat|above|higher/,
      ],
      [`/seller/stores/${a.storeId}/rate`, { rate: '51' }, 422, 'rate', /bounds|between|50/],
      [
        `/seller/stores/${a.storeId}/category-rate`,
        { categoryId: '', rate: '10' },
        422,
        'categoryId',
        /choose/,
      ],
      [
        `/seller/stores/${a.storeId}/membership`,
        { enrolled: 'no' },
        422,
        '_form',
        /may leave from/,
      ],
    ];
    for (const [url, fields, status, name, message] of cases) {
      const res = await agent.post(url, fields);
      const error = name === '_form' ? formError(res.body) : fieldError(res.body, name);
      expect({ url, fields, status: res.status, error }).toEqual({
        url,
        fields,
        status,
        error: expect.stringMatching(message),
      });
    }
    expect(await plans()).toBe(before);
  });

  it('shows the rates read-only in fixed_category mode, refuses a rate post, and still enrolls', async () => {
    const ctx = t();
    await updateSettings(ctx, { values: { commissionMode: 'fixed_category' } });
    try {
      const page = await agent.get(`/seller/products/${a.chair.productId}`);
      expect(page.body).toContain('fixed category');
      expect(page.body).toContain('<fieldset disabled>');
      expect(page.body).not.toContain(`action="/seller/products/${a.chair.productId}/rate`);
      expect((await agent.get('/seller/rates')).body).not.toContain('/rate#s-');
      const before = await plans();
      const res = await agent.post(`/seller/products/${a.chair.productId}/rate`, { rate: '10' });
      expect(res.status).toBe(409);
      expect(formError(res.body)).toMatch(/category table/);
      expect(await plans()).toBe(before);
      const out = await agent.post(`/seller/products/${a.chair.productId}/enrollment`, {
        enrolled: 'no',
      });
      expect(out.status).toBe(303);
      expect((await rateFor(ctx.db, a.chair.productId, ctx.clock.now())).rule.kind).toBe(
        'not_enrolled',
      );
    } finally {
      await updateSettings(ctx, { values: { commissionMode: 'seller_rates' } });
    }
  });

  it('previews a rates file, applies it, and refuses a bad one with its line numbers, changing nothing', async () => {
    const ctx = t();
    await setSellerEnrollment(ctx, a.sellerId, {
      storeId: a.storeId,
      scope: 'store',
      enrolled: true,
    });
    // Withdrawn by the fixed_category test above: back in.
    await setSellerEnrollment(ctx, a.sellerId, {
      storeId: a.storeId,
      scope: 'product',
      targetId: a.chair.productId,
      enrolled: true,
    });
    const later = day(ctx.clock.now().getTime() + 5 * DAY_MS);
    const file = `product_id,rate_bp,effective_from\n${a.lamp.productId},1500,${later}\n${a.chair.productId},900,\n`;
    const before = await plans();
    const preview = await agent.postFile(
      '/seller/import/preview',
      { rates: '' },
      { field: 'file', filename: 'rates.csv', content: file },
    );
    expect(preview.status).toBe(200);
    expect(preview.body).toContain('2 rows: 1 new');
    expect(preview.body).toContain('Preview: nothing is changed yet');
    expect(preview.body).toContain('15.00%');
    expect(await plans()).toBe(before);
    const bad = `product_id,rate_bp,effective_from\n${a.lamp.productId},9000,\n${b.lamp.productId},900,\n`;
    const refused = await agent.post('/seller/import/apply', { rates: bad });
    expect(refused.status).toBe(422);
    expect(refused.body).toContain('Line 2');
    expect(refused.body).toContain('Line 3');
    expect(await plans()).toBe(before);
    const forged = await agent.postFile(
      '/seller/import/apply',
      { _csrf: 'x' },
      { field: 'file', filename: 'rates.csv', content: file },
    );
    expect(forged.status).toBe(403);
    expect(await plans()).toBe(before);
    const applied = await agent.post('/seller/import/apply', { rates: file });
    expect(applied.location).toBe('/seller/import?done=applied&applied=2');
    expect((await rateFor(ctx.db, a.chair.productId, ctx.clock.now())).rateBp).toBe(900);
    expect((await rateFor(ctx.db, a.lamp.productId, new Date(`${later}T00:00:00Z`))).rateBp).toBe(
      1500,
    );
  });
  it('leaves after the least time in, then refuses a rejoin before the least time out, with the day it may', async () => {
    const ctx = t();
    ctx.clock.advance(16 * DAY_MS);
    // Sessions last a week: log in again.
    agent = await sellerAgent(app, a.email);
    const left = await agent.post(`/seller/stores/${a.storeId}/membership`, { enrolled: 'no' });
    expect(left.location).toBe('/seller?done=left');
    const overview = await agent.get('/seller');
    expect(overview.body).toContain('Out of the program');
    expect(overview.body).toMatch(
      /It may rejoin from <strong>[\d-]+ [\d:]+ UTC<\/strong> \(7 days out\)/,
    );
    const before = await plans();
    const rejoin = await agent.post(`/seller/stores/${a.storeId}/membership`, { enrolled: 'yes' });
    expect(rejoin.status).toBe(422);
    expect(formError(rejoin.body)).toMatch(/may rejoin from .* \(7 days out\)/);
    expect(await plans()).toBe(before);
  });
});
