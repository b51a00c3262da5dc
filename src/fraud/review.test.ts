import { beforeAll, expect, it } from 'vitest';
import { issueApiKey } from '../affiliates/api-keys.js';
import { orderRows } from '../api/open-api/methods/order-row.js';
import { createOperator } from '../auth/create-operator.js';
import { issueOperatorToken } from '../auth/operator-tokens.js';
import { DAY_MS } from '../clock.js';
import { toDbTime } from '../db/time.js';
import { runDueJobs } from '../jobs/run-due-jobs.js';
import { auditLedger } from '../ledger/audit-ledger.js';
import { affiliateSubOrdersByIds } from '../orders/affiliate-sub-orders.js';
import { settleDueInFull } from '../orders/settle-in-full.js';
import { getBalances } from '../payouts/balances.js';
import { verifyOrderRollups } from '../reports/verify-order-rollups.js';
import { type App, buildApp } from '../server.js';
import { loadSettingsTimeline } from '../settings/settings-timeline.js';
import { describeEachDatabase, type TestContext } from '../test/context.js';
import { accept, event, payFlaggedOrder, seedClickedProduct } from '../test/orders.js';
import { WebAgent } from '../test/web-agent.js';
import { heldCommission } from './held-commission.js';
import { listFlags } from './list-flags.js';
import { invalidateFlag, releaseFlag } from './resolve-flag.js';

/** 2 × 19.99 USD at 8 %. */
const COMMISSION = 320n;

describeEachDatabase('held for review: release, invalidate, and who sees what', (t) => {
  let app: App;
  let token: string;
  const operator = (method: 'GET' | 'POST', url: string, payload?: object, bearer = token) =>
    app.inject({
      method,
      url: `/api/operator/v1${url}`,
      headers: { authorization: `Bearer ${bearer}` },
      ...(payload ? { payload } : {}),
    });

  beforeAll(async () => {
    const ctx = t();
    app = await buildApp(ctx);
    await createOperator(ctx, { email: 'fraud-ops@example.com', password: 'a long password' });
    token = (await issueOperatorToken(ctx, 'fraud-ops@example.com')).token;
  });

  /** An order paid 3 s after its click (click injection), shipped and confirmed at once. */
  async function heldOrder(ctx: TestContext, orderId: string) {
    const seeded = await seedClickedProduct(ctx, { minutesAgo: 0 });
    const flag = await payFlaggedOrder(ctx, seeded, orderId, 3000);
    for (const [type, data] of [
      ['order.shipped', { shipping_method: 'DHL', shipped_at: ctx.clock.now().toISOString() }],
      ['order.receipt_confirmed', { confirmed_at: ctx.clock.now().toISOString() }],
    ] as const)
      await accept(ctx, event(ctx, type, { order_id: orderId, ...data }));
    return { ...seeded, flag };
  }

  const subOrder = (ctx: TestContext, id: string) =>
    ctx.db
      .selectFrom('sub_orders')
      .select(['status', 'invalid_reason', 'due_at', 'settled_minor'])
      .where('sub_order_id', '=', id)
      .executeTakeFirstOrThrow();
  const transfers = async (ctx: TestContext, ref: string) =>
    (
      await ctx.db
        .selectFrom('ledger_transfers')
        .select(['kind', 'code'])
        .where('ref', '=', ref)
        .orderBy('id')
        .execute()
    ).map((r) => `${r.kind} ${r.code}`);
  const clean = async (ctx: TestContext, affiliateId: string) => {
    expect((await auditLedger(ctx.db)).violations).toEqual([]);
    expect((await verifyOrderRollups(ctx, { affiliateId })).differences).toEqual([]);
  };

  it('keeps a held commission estimated past its due time; released, the next run settles it', async () => {
    const ctx = t();
    const held = await heldOrder(ctx, 'held-1');
    ctx.clock.advance(2 * DAY_MS);
    await runDueJobs(ctx);
    expect(await subOrder(ctx, 'held-1-1')).toMatchObject({
      status: 'buyer_confirmed_receipt',
      settled_minor: null,
    });
    expect(await transfers(ctx, 'held-1-1')).toEqual(['pending commission']);
    expect(await getBalances(ctx, held.affiliate.id)).toMatchObject({
      estimatedMinor: COMMISSION,
      availableMinor: 0n,
    });
    expect(await heldCommission(ctx.db, held.affiliate.id, 'USD')).toBe(COMMISSION);
    await clean(ctx, held.affiliate.id);

    const released = await operator('POST', `/flags/${held.flag.id}/release`, {
      note: 'a real buyer: checked with the merchant',
    });
    expect(released.statusCode).toBe(200);
    expect(released.json()).toMatchObject({
      flag: {
        id: held.flag.id,
        resolution: 'released',
        note: 'a real buyer: checked with the merchant',
      },
      sub_orders: [{ sub_order_id: 'held-1-1', status: 'buyer_confirmed_receipt' }],
    });
    // Not settled by the release itself: by the next job run.
    expect(await transfers(ctx, 'held-1-1')).toEqual(['pending commission']);
    expect(await runDueJobs(ctx)).toMatchObject({ settled: 1 });
    expect(await subOrder(ctx, 'held-1-1')).toMatchObject({
      status: 'completed_settlement',
      settled_minor: COMMISSION,
    });
    expect(await getBalances(ctx, held.affiliate.id)).toMatchObject({
      estimatedMinor: 0n,
      availableMinor: COMMISSION,
    });
    expect(await heldCommission(ctx.db, held.affiliate.id, 'USD')).toBe(0n);
    await clean(ctx, held.affiliate.id);

    // Twice is a clear 409, an unknown flag a 404; neither changes anything.
    const twice = await operator('POST', `/flags/${held.flag.id}/invalidate`, { note: 'no' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('flag_already_resolved');
    expect(twice.json().error.message).toMatch(/already released/);
    const unknown = await operator('POST', '/flags/flag_nope/release', {});
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('flag_not_found');
    expect(await subOrder(ctx, 'held-1-1')).toMatchObject({ status: 'completed_settlement' });
  });

  it('invalidates a held order: Invalid for fraud, the pending commission voided', async () => {
    const ctx = t();
    const held = await heldOrder(ctx, 'held-2');
    const before = await subOrder(ctx, 'held-2-1');
    // A note is required; without one nothing changes.
    for (const payload of [{}, { note: '   ' }]) {
      const refused = await operator('POST', `/flags/${held.flag.id}/invalidate`, payload);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.code).toBe('invalid_request');
    }
    await expect(
      invalidateFlag(ctx, { flagId: held.flag.id, operator: 'x', note: undefined }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    expect(await subOrder(ctx, 'held-2-1')).toEqual(before);
    expect((await listFlags(ctx.db, { affiliate_id: held.affiliate.id }))[0]?.resolution).toBe(
      null,
    );

    const done = await operator('POST', `/flags/${held.flag.id}/invalidate`, {
      note: 'bot traffic from an app install farm',
    });
    expect(done.statusCode).toBe(200);
    expect(await subOrder(ctx, 'held-2-1')).toMatchObject({
      status: 'invalid',
      invalid_reason: 'fraud: the order was paid 3.0 s after its click',
      due_at: null,
    });
    expect(await transfers(ctx, 'held-2-1')).toEqual([
      'pending commission',
      'void commission_invalid',
    ]);
    expect(await getBalances(ctx, held.affiliate.id)).toMatchObject({
      estimatedMinor: 0n,
      availableMinor: 0n,
    });
    await clean(ctx, held.affiliate.id);
    const again = await releaseFlag(ctx, { flagId: held.flag.id, operator: 'x' }).catch((e) => e);
    expect(again).toMatchObject({ code: 'flag_already_resolved' });
    ctx.clock.advance(2 * DAY_MS);
    await runDueJobs(ctx);
    expect(await subOrder(ctx, 'held-2-1')).toMatchObject({ status: 'invalid' });
    await clean(ctx, held.affiliate.id);
  });

  it('never settles a held sub-order in the fast lane, and still expires it after 180 days', async () => {
    const ctx = t();
    const held = await heldOrder(ctx, 'held-3');
    // As if its due time had come: the fast lane must still leave it alone.
    await ctx.db
      .updateTable('sub_orders')
      .set({ due_at: toDbTime(ctx.clock.now()) })
      .where('sub_order_id', '=', 'held-3-1')
      .execute();
    ctx.clock.advance(DAY_MS);
    const fast = await settleDueInFull(ctx, await loadSettingsTimeline(ctx.db), 1000);
    expect(fast.orderIds).not.toContain('held-3');
    await runDueJobs(ctx);
    expect(await subOrder(ctx, 'held-3-1')).toMatchObject({ status: 'buyer_confirmed_receipt' });
    ctx.clock.advance(180 * DAY_MS);
    await runDueJobs(ctx);
    expect(await subOrder(ctx, 'held-3-1')).toMatchObject({
      status: 'invalid',
      invalid_reason: 'not settled within 180 days of payment',
    });
    expect(await transfers(ctx, 'held-3-1')).toEqual([
      'pending commission',
      'void commission_invalid',
    ]);
    await clean(ctx, held.affiliate.id);
  });

  it('shows the affiliate "Held for review" with the reason, and nothing to another affiliate', async () => {
    const ctx = t();
    const held = await heldOrder(ctx, 'held-4');
    const key = (await issueApiKey(ctx, held.affiliate.id)).key;
    const list = await app.inject({
      method: 'GET',
      url: '/api/v1/orders',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(list.json().orders).toEqual([
      expect.objectContaining({
        order_id: 'held-4',
        status: 'buyer_confirmed_receipt',
        held: true,
        hold_reason: 'Paid moments after the click: the order was paid 3.0 s after its click',
      }),
    ]);
    const one = await app.inject({
      method: 'GET',
      url: '/api/v1/orders/held-4',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(one.json().sub_orders[0]).toMatchObject({ held: true });
    const [row] = await orderRows(
      ctx,
      held.affiliate.id,
      await affiliateSubOrdersByIds(ctx.db, held.affiliate.id, ['held-4-1']),
    );
    expect(row).toMatchObject({ is_held: 'Y', hold_reason: expect.stringContaining('3.0 s') });

    const agent = new WebAgent(app);
    await agent.get('/login');
    await agent.post('/login', { email: held.affiliate.email, password: 'a long password' });
    const page = await agent.get('/orders');
    expect(page.body).toContain('Held for review');
    expect(page.body).toContain('the order was paid 3.0 s after its click');
    expect((await agent.get('/orders/held-4')).body).toContain('Held for review');
    const dashboard = await agent.get('/dashboard');
    expect(dashboard.body).toMatch(/data-balance="held">of which 3\.20 USD/);

    // Another affiliate: no order, no flag, no operator route.
    const other = await seedClickedProduct(ctx);
    const otherKey = (await issueApiKey(ctx, other.affiliate.id)).key;
    const hidden = await app.inject({
      method: 'GET',
      url: '/api/v1/orders/held-4',
      headers: { authorization: `Bearer ${otherKey}` },
    });
    expect(hidden.statusCode).toBe(404);
    for (const [method, url] of [
      ['GET', '/flags'],
      ['POST', `/flags/${held.flag.id}/release`],
      ['POST', `/flags/${held.flag.id}/invalidate`],
    ] as const) {
      const refused = await operator(
        method,
        url,
        method === 'POST' ? { note: 'mine' } : undefined,
        otherKey,
      );
      expect(refused.statusCode).toBe(401);
    }
    const stranger = new WebAgent(app);
    await stranger.get('/login');
    await stranger.post('/login', { email: other.affiliate.email, password: 'a long password' });
    expect((await stranger.get('/orders')).body).not.toContain('held-4');
    expect((await stranger.get('/console/flags')).status).toBe(303);
    expect((await listFlags(ctx.db, { affiliate_id: held.affiliate.id }))[0]?.resolution).toBe(
      null,
    );
  });

  it('lists flags by signal and affiliate, and refuses a bad filter', async () => {
    const ctx = t();
    const held = await heldOrder(ctx, 'held-5');
    const listed = await operator(
      'GET',
      `/flags?signal=click_injection&affiliate_id=${held.affiliate.id}`,
    );
    expect(listed.statusCode).toBe(200);
    expect(listed.json().flags).toEqual([
      expect.objectContaining({
        id: held.flag.id,
        order_id: 'held-5',
        signal: 'click_injection',
        signal_words: 'Paid moments after the click',
        order: expect.objectContaining({ commission: 320, currency: 'USD' }),
      }),
    ]);
    const other = await operator(
      'GET',
      `/flags?signal=click_flood&affiliate_id=${held.affiliate.id}`,
    );
    expect(other.json().flags).toEqual([]);
    const bad = await operator('GET', '/flags?signal=everything');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_request');
    await expect(listFlags(ctx.db, { signal: 'nope' as never })).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });
});
