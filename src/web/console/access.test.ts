import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { type App, buildApp, routeTable } from '../../server.js';
import { getSettings } from '../../settings/get-settings.js';
import { affiliateAgent, operatorAgent } from '../../test/console.js';
import { describeEachDatabase, type TestContext } from '../../test/context.js';
import { seedAffiliate, seedStore } from '../../test/factories.js';
import { seedPayee } from '../../test/payouts.js';
import { WebAgent } from '../../test/web-agent.js';
import { settingsFormValues } from './program-form.js';

describeEachDatabase('console: only an operator gets in', (t) => {
  let app: App;
  let target: { affiliateId: string; storeId: string };
  /** A body every console form would act on, were it accepted. */
  let body: Record<string, string>;

  beforeAll(async () => {
    const ctx = t();
    app = await buildApp(ctx);
    const pending = await seedAffiliate(ctx);
    target = { affiliateId: pending.id, storeId: await seedStore(ctx) };
    await seedPayee(ctx, { earnedMinor: 5000n });
    body = {
      ...settingsFormValues(await getSettings(ctx.db, ctx.clock.now())),
      attributionWindowDays: '3',
      status: 'banned',
      reason: 'taken over',
      period: '2026-03',
      format: 'csv',
      scope: 'store',
      rate: '10',
      enrollScope: 'store',
      enrolled: 'yes',
      targetId: 'cat-1',
      currency: 'EUR',
    };
  });

  /** Every row of every table. */
  async function snapshot(ctx: TestContext): Promise<string> {
    const tables = (await ctx.db.introspection.getTables()).map((table) => table.name).sort();
    const rows: Record<string, unknown[]> = {};
    for (const table of tables)
      rows[table] = (await sql`select * from ${sql.table(table)}`.execute(ctx.db)).rows;
    return JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  }

  const consoleRoutes = () =>
    routeTable(app).filter((r) => r.url.startsWith('/console') && r.method !== 'HEAD');
  const pathOf = (url: string) =>
    url.replaceAll(':storeId', target.storeId).replaceAll(':id', target.affiliateId);

  it("sends an affiliate's session on every console route to log in, changing nothing", async () => {
    const ctx = t();
    const routes = consoleRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const affiliate = await affiliateAgent(app);
    await affiliate.get('/dashboard'); // the affiliate's own CSRF token: the post reaches the route
    const before = await snapshot(ctx);
    for (const route of routes) {
      const path = pathOf(route.url);
      const res =
        route.method === 'GET' ? await affiliate.get(path) : await affiliate.post(path, body);
      expect({ route: `${route.method} ${route.url}`, status: res.status }).toEqual({
        route: `${route.method} ${route.url}`,
        status: 303,
      });
      expect(res.location).toBe(`/login?next=${encodeURIComponent(path)}`);
      expect(res.body).toBe('');
    }
    expect(await snapshot(ctx)).toBe(before);
  });

  it('sends a visitor without a session to log in too', async () => {
    const visitor = new WebAgent(app);
    await visitor.get('/login');
    for (const route of consoleRoutes()) {
      const path = pathOf(route.url);
      const res = route.method === 'GET' ? await visitor.get(path) : await visitor.post(path, body);
      expect({ route: route.url, status: res.status }).toEqual({ route: route.url, status: 303 });
    }
  });

  it('opens every console page to an operator', async () => {
    const ops = await operatorAgent(app, t());
    for (const route of consoleRoutes().filter((r) => r.method === 'GET' && !r.url.includes(':'))) {
      const preview = route.url === '/console/payouts/preview';
      const res = await ops.get(preview ? `${route.url}?period=2026-02` : route.url);
      expect({ route: route.url, status: res.status }).toEqual({ route: route.url, status: 200 });
    }
    const affiliate = await ops.get(`/console/affiliates/${target.affiliateId}`);
    expect(affiliate.status).toBe(200);
    const store = await ops.get(`/console/sellers/${target.storeId}`);
    expect(store.status).toBe(200);
  });
});
