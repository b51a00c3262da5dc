import { beforeAll, expect, it } from 'vitest';
import { listFlags } from '../../fraud/list-flags.js';
import { type App, buildApp } from '../../server.js';
import { operatorAgent } from '../../test/console.js';
import { describeEachDatabase, type TestContext } from '../../test/context.js';
import { payFlaggedOrder, seedClickedProduct } from '../../test/orders.js';
import type { WebAgent } from '../../test/web-agent.js';

describeEachDatabase('console: fraud flags', (t) => {
  let app: App;
  let ops: WebAgent;
  beforeAll(async () => {
    app = await buildApp(t());
    ops = await operatorAgent(app, t());
  });

  /** An order paid 2 s after its click: held for review. */
  async function flagged(ctx: TestContext, orderId: string) {
    const seeded = await seedClickedProduct(ctx, { minutesAgo: 0 });
    return { ...seeded, flag: await payFlaggedOrder(ctx, seeded, orderId) };
  }

  it('lists open flags with their reason, filters them, and releases one with a note', async () => {
    const ctx = t();
    const { flag, affiliate } = await flagged(ctx, 'cf-1');
    const page = await ops.get('/console/flags');
    expect(page.status).toBe(200);
    expect(page.body).toContain('cf-1');
    expect(page.body).toContain('Paid moments after the click');
    expect(page.body).toContain('the order was paid 2.0 s after its click');
    expect(page.body).toContain('3.20 USD');
    expect((await ops.get('/console/flags?signal=click_flood')).body).not.toContain('cf-1');
    expect((await ops.get(`/console/flags?affiliate=${affiliate.id}`)).body).toContain('cf-1');
    expect((await ops.get('/console/flags?signal=nonsense')).status).toBe(200);

    const res = await ops.post(`/console/flags/${flag.id}`, {
      decision: 'release',
      note: 'known customer',
    });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/console/flags?done=released');
    expect((await ops.get('/console/flags')).body).not.toContain('cf-1');
    const all = await ops.get('/console/flags?state=all');
    expect(all.body).toContain('cf-1');
    expect(all.body).toContain('known customer');

    // The same flag again: the page says so, with a 409, and nothing changes.
    const twice = await ops.post(`/console/flags/${flag.id}?state=all`, {
      decision: 'invalidate',
      note: 'changed my mind',
    });
    expect(twice.status).toBe(409);
    expect(twice.body).toContain('already released');
    expect((await listFlags(ctx.db, { open: false, affiliate_id: affiliate.id }))[0]).toMatchObject(
      { resolution: 'released', note: 'known customer' },
    );
  });

  it('asks for a note before invalidating, then voids the order', async () => {
    const ctx = t();
    const { flag } = await flagged(ctx, 'cf-2');
    await ops.get('/console/flags');
    const refused = await ops.post(`/console/flags/${flag.id}`, { decision: 'invalidate' });
    expect(refused.status).toBe(422);
    expect(refused.body).toContain('say why: the order&#39;s commission is voided on it');
    expect((await listFlags(ctx.db, {})).map((f) => f.id)).toContain(flag.id);
    const res = await ops.post(`/console/flags/${flag.id}`, {
      decision: 'invalidate',
      note: 'the same device paid 40 orders',
    });
    expect(res.location).toBe('/console/flags?done=invalidated');
    const sub = await ctx.db
      .selectFrom('sub_orders')
      .select(['status', 'invalid_reason'])
      .where('order_id', '=', 'cf-2')
      .executeTakeFirstOrThrow();
    expect(sub).toEqual({
      status: 'invalid',
      invalid_reason: 'fraud: the order was paid 2.0 s after its click',
    });
    expect((await ops.post('/console/flags/flag_unknown', { decision: 'release' })).status).toBe(
      404,
    );
  });
});
