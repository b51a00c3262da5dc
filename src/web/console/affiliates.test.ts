import { beforeAll, expect, it } from 'vitest';
import { getAffiliate } from '../../affiliates/queries.js';
import { setAffiliateStatus } from '../../affiliates/set-affiliate-status.js';
import { type App, buildApp } from '../../server.js';
import { operatorAgent } from '../../test/console.js';
import { describeEachDatabase } from '../../test/context.js';
import { seedAffiliate } from '../../test/factories.js';
import type { WebAgent } from '../../test/web-agent.js';

describeEachDatabase('console: affiliates', (t) => {
  let app: App;
  let ops: WebAgent;
  beforeAll(async () => {
    app = await buildApp(t());
    ops = await operatorAgent(app, t());
  });

  it('approves a pending affiliate found in the pending list', async () => {
    const ctx = t();
    const pending = await seedAffiliate(ctx);
    const list = await ops.get('/console/affiliates?status=pending');
    expect(list.status).toBe(200);
    expect(list.body).toContain(pending.email);
    const page = await ops.get(`/console/affiliates/${pending.id}`);
    expect(page.body).toContain('>Approve</button>');
    const res = await ops.post(`/console/affiliates/${pending.id}/status`, {
      status: 'approved',
      reason: 'site reviewed',
    });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/console/affiliates/${pending.id}?done=approved`);
    const after = await ops.get(res.location as string);
    expect(after.body).toContain('The affiliate is approved');
    expect(after.body).toContain('site reviewed');
    expect(await getAffiliate(ctx.db, pending.id)).toMatchObject({
      status: 'approved',
      statusReason: 'site reviewed',
    });
  });

  it('asks for a reason to suspend, and changes nothing without one', async () => {
    const ctx = t();
    const approved = await seedAffiliate(ctx, { approve: true });
    await ops.get(`/console/affiliates/${approved.id}`);
    const res = await ops.post(`/console/affiliates/${approved.id}/status`, {
      status: 'suspended',
      reason: '  ',
    });
    expect(res.status).toBe(422);
    expect(res.body).toContain('say why: the affiliate reads this reason');
    // PostgreSQL refuses a NUL in text: the form says so instead of failing.
    const nul = await ops.post(`/console/affiliates/${approved.id}/status`, {
      status: 'suspended',
      reason: 'a\u0000b',
    });
    expect(nul.status).toBe(422);
    expect(nul.body).toContain('remove the NUL character');
    expect((await getAffiliate(ctx.db, approved.id)).status).toBe('approved');
  });

  it('shows a transition the life cycle refuses, and changes nothing', async () => {
    const ctx = t();
    const banned = await seedAffiliate(ctx);
    await setAffiliateStatus(ctx, banned.id, 'banned', 'spam');
    const page = await ops.get(`/console/affiliates/${banned.id}`);
    expect(page.body).toContain('A banned affiliate stays banned.');
    const res = await ops.post(`/console/affiliates/${banned.id}/status`, {
      status: 'approved',
    });
    expect(res.status).toBe(409);
    expect(res.body).toContain('an affiliate who is banned cannot become approved');
    expect(await getAffiliate(ctx.db, banned.id)).toMatchObject({
      status: 'banned',
      statusReason: 'spam',
    });
  });

  it('finds affiliates by part of their email, and answers 404 for an unknown one', async () => {
    const ctx = t();
    const one = await seedAffiliate(ctx);
    const other = await seedAffiliate(ctx);
    const part = one.email.slice(0, one.email.indexOf('@'));
    const res = await ops.get(`/console/affiliates?q=${encodeURIComponent(part.toUpperCase())}`);
    expect(res.body).toContain(one.email);
    expect(res.body).not.toContain(other.email);
    expect((await ops.get('/console/affiliates?q=%25')).body).toContain('No affiliates');
    expect((await ops.get('/console/affiliates/aff_nobody')).status).toBe(404);
    expect((await ops.get('/console/affiliates/aff%00')).status).toBe(404);
    expect((await ops.get('/console/affiliates?q=a%00')).status).toBe(200);
  });
});
