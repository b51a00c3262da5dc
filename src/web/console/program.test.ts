import { beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../server.js';
import { getSettings } from '../../settings/get-settings.js';
import { settingKeys } from '../../settings/schema.js';
import { operatorAgent } from '../../test/console.js';
import { describeEachDatabase, type TestContext } from '../../test/context.js';
import type { WebAgent } from '../../test/web-agent.js';
import { SETTING_FIELDS } from './program-fields.js';
import { settingsFormValues } from './program-form.js';

describe('the settings form', () => {
  it('has a field for every program setting', () => {
    expect(SETTING_FIELDS.map((f) => f.key).sort()).toEqual([...settingKeys].sort());
  });
});

describeEachDatabase('console: program settings', (t) => {
  let app: App;
  let ops: WebAgent;
  beforeAll(async () => {
    app = await buildApp(t());
    ops = await operatorAgent(app, t());
  });

  /** The form as the page shows it now, with some fields typed over. */
  async function form(ctx: TestContext, typed: Record<string, string>) {
    await ops.get('/console/program');
    return { ...settingsFormValues(await getSettings(ctx.db, ctx.clock.now())), ...typed };
  }
  const changes = async (ctx: TestContext) =>
    Number(
      (
        await ctx.db
          .selectFrom('setting_changes')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('shows the settings in force and saves a change', async () => {
    const ctx = t();
    const page = await ops.get('/console/program');
    expect(page.body).toContain(
      'id="f-sellerRateMinBp" name="sellerRateMinBp" type="text" value="3.50"',
    );
    expect(page.body).toContain('value="16.00"');
    const res = await ops.post(
      '/console/program',
      await form(ctx, { sellerRateMinBp: '4', attributionWindowDays: '15' }),
    );
    expect(res.status).toBe(303);
    expect(res.location).toBe('/console/program?done=saved');
    expect((await ops.get(res.location as string)).body).toContain('Settings saved');
    expect(await getSettings(ctx.db, ctx.clock.now())).toMatchObject({
      sellerRateMinBp: 400,
      attributionWindowDays: 15,
    });
    const again = await ops.post('/console/program', await form(ctx, {}));
    expect(again.location).toBe('/console/program?done=unchanged');
  });

  it('shows an error next to each bad value, keeps what was typed, and changes nothing', async () => {
    const ctx = t();
    const before = await getSettings(ctx.db, ctx.clock.now());
    const count = await changes(ctx);
    const res = await ops.post(
      '/console/program',
      await form(ctx, {
        attributionWindowDays: '0',
        minWithdrawalMinor: '12.345',
        sellerRateMaxBp: 'lots',
        protectionDays_post: '-3',
        manualPayoutCountries: 'DE usa',
        effectiveFrom: '2026-02-01',
        withdrawalFeeMinor: '1.00',
      }),
    );
    expect(res.status).toBe(422);
    expect(res.body).toContain('Nothing was changed');
    expect(res.body).toContain('at least 1');
    expect(res.body).toContain('an amount in USD, e.g. 16.00');
    expect(res.body).toContain('a percentage from 0 to 100');
    expect(res.body).toContain('a whole number of days');
    expect(res.body).toContain('USA: two-letter country codes');
    expect(res.body).toContain('today or later');
    expect(res.body).toContain('value="12.345"');
    expect(res.body).toContain('value="lots"');
    expect(await getSettings(ctx.db, ctx.clock.now())).toEqual(before);
    expect(await changes(ctx)).toBe(count);
  });

  it('puts a rule across settings on its field: a fee that eats the minimum withdrawal', async () => {
    const ctx = t();
    const count = await changes(ctx);
    const res = await ops.post('/console/program', await form(ctx, { withdrawalFeeMinor: '20' }));
    expect(res.status).toBe(422);
    expect(res.body).toMatch(
      /<div class="field has-error">\s*<label for="f-withdrawalFeeMinor">[\s\S]*Withdrawal fee must be below Minimum withdrawal/,
    );
    expect(await changes(ctx)).toBe(count);
  });

  it('schedules a change for a later day, recording only what was edited', async () => {
    const ctx = t();
    const count = await changes(ctx);
    const res = await ops.post(
      '/console/program',
      await form(ctx, { maxTrackingIds: '60', effectiveFrom: '2026-04-01' }),
    );
    expect(res.location).toBe('/console/program?done=scheduled');
    expect(await changes(ctx)).toBe(count + 1);
    expect((await getSettings(ctx.db, ctx.clock.now())).maxTrackingIds).toBe(50);
    expect((await getSettings(ctx.db, new Date('2026-04-01T00:00:00Z'))).maxTrackingIds).toBe(60);
    expect((await ops.get('/console/program')).body).toContain('Scheduled changes');
  });

  it('records an exchange rate, and puts a refused one on its field', async () => {
    const ctx = t();
    await ops.get('/console/program');
    const ok = await ops.post('/console/program/fx', { currency: 'eur', rate: '1.0850' });
    expect(ok.location).toBe('/console/program?done=fx');
    expect((await ops.get('/console/program')).body).toMatch(/<td>EUR<\/td><td class="num">1.0850/);
    const count = await ctx.db.selectFrom('fx_rates').selectAll().execute();
    const bad = await ops.post('/console/program/fx', { currency: 'USD', rate: 'one' });
    expect(bad.status).toBe(422);
    expect(bad.body).toContain('a positive decimal, e.g. 1.0850');
    const self = await ops.post('/console/program/fx', { currency: 'USD', rate: '1' });
    expect(self.status).toBe(422);
    expect(self.body).toContain('USD is the settlement currency itself');
    expect(self.body).toContain('value="USD"');
    expect(await ctx.db.selectFrom('fx_rates').selectAll().execute()).toEqual(count);
  });
});
