import { expect, it } from 'vitest';
import { DAY_MS } from '../clock.js';
import { describeEachDatabase } from '../test/context.js';
import { IpSalts } from './ip-salts.js';

describeEachDatabase('daily IP salts', (t) => {
  it('hashes an address the same way all day, differently the next, and never keeps it', async () => {
    const ctx = t();
    const salts = new IpSalts(ctx);
    await salts.refresh();
    const today = ctx.clock.now().toISOString().slice(0, 10);
    const tomorrow = new Date(ctx.clock.now().getTime() + DAY_MS).toISOString().slice(0, 10);
    const a = salts.hashIp('203.0.113.7', today);
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a).not.toContain('203');
    expect(salts.hashIp('203.0.113.7', today)).toBe(a);
    expect(salts.hashIp('203.0.113.8', today)).not.toBe(a);
    expect(salts.hashIp('203.0.113.7', tomorrow)).not.toBe(a);
    // A second server reads the same salts, so the same visitor hashes the same everywhere.
    const other = new IpSalts(ctx);
    await other.refresh();
    expect(other.hashIp('203.0.113.7', today)).toBe(a);
  });

  it('deletes salts older than two days', async () => {
    const ctx = t();
    const salts = new IpSalts(ctx);
    await salts.refresh();
    ctx.clock.advance(5 * DAY_MS);
    await salts.refresh();
    const days = (await ctx.db.selectFrom('ip_salts').select('day').execute())
      .map((r) => r.day)
      .sort();
    const oldest = new Date(ctx.clock.now().getTime() - 2 * DAY_MS).toISOString().slice(0, 10);
    expect(days.every((day) => day >= oldest)).toBe(true);
    expect(days).toHaveLength(2);
  });
});
