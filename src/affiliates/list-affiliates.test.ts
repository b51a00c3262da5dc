import { expect, it } from 'vitest';
import { describeEachDatabase } from '../test/context.js';
import { countAffiliatesByStatus, listAffiliates } from './queries.js';
import { setAffiliateStatus } from './set-affiliate-status.js';
import { signUp } from './sign-up.js';

describeEachDatabase("the operator's affiliate list", (t) => {
  const join = (email: string) =>
    signUp(t(), { email, country: 'DE', websiteUrl: 'https://blog.example' });

  it('finds affiliates by part of the email, taking % and _ as letters', async () => {
    const ctx = t();
    const plain = await join('anna.smith@blog.example');
    const underscore = await join('anna_smith@blog.example');
    const other = await join('bob@coupons.example');
    const emails = async (email: string) =>
      (await listAffiliates(ctx.db, { email, limit: 50 })).map((a) => a.email);
    expect(await emails('ANNA')).toEqual([plain.email, underscore.email]);
    expect(await emails('a_s')).toEqual([underscore.email]);
    // Unescaped, % would match every email and _ any character.
    expect(await emails('%')).toEqual([]);
    expect(await emails('a%s')).toEqual([]);
    expect(await emails('b_b')).toEqual([]);
    expect(await emails('\\')).toEqual([]);
    await setAffiliateStatus(ctx, underscore.id, 'approved');
    expect(
      (await listAffiliates(ctx.db, { email: 'anna', status: 'approved', limit: 50 })).map(
        (a) => a.id,
      ),
    ).toEqual([underscore.id]);
    const first = await listAffiliates(ctx.db, { limit: 2 });
    const next = await listAffiliates(ctx.db, { after: first[1]?.id, limit: 2 });
    expect(next.map((a) => a.id)).toEqual([other.id]);
  });

  it('counts affiliates of every status, zero included', async () => {
    const ctx = t();
    expect(await countAffiliatesByStatus(ctx.db)).toEqual({
      pending: 2,
      approved: 1,
      suspended: 0,
      banned: 0,
    });
  });
});
