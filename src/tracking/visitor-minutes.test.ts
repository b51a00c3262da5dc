import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../test/context.js';
import { seedLink } from '../test/tracking.js';
import type { ClickEvent } from './click.js';
import { UniqueWindow } from './unique-window.js';
import { writeClickBatch } from './write-click-batch.js';

describeEachDatabase('clicks per visitor and minute (the click-flood signal reads them)', (t) => {
  it('equal the stored clicks grouped by affiliate, visitor and minute, across batches', async () => {
    const ctx = t();
    const seeded = await seedLink(ctx);
    const link = await ctx.db
      .selectFrom('links')
      .select(['id', 'affiliate_id', 'tracking_id'])
      .where('code', '=', seeded.link.code)
      .executeTakeFirstOrThrow();
    const start = ctx.clock.now().getTime();
    let n = 0;
    // Three visitors over three minutes, a bot among them; the same minute in several batches.
    const click = (visitor: string, secondsIn: number, isBot = false): ClickEvent => ({
      id: `01vmin${String(++n).padStart(20, '0')}`,
      clickedAt: new Date(start + secondsIn * 1000).toISOString(),
      linkId: link.id,
      affiliateId: link.affiliate_id,
      trackingId: link.tracking_id,
      subs: [null, null, null, null, null],
      ipHash: visitor,
      userAgent: null,
      referrer: null,
      country: null,
      isBot,
    });
    const window = new UniqueWindow();
    await writeClickBatch(ctx, window, [click('a', 1), click('a', 2), click('b', 3)]);
    await writeClickBatch(ctx, window, [click('a', 4), click('c', 70, true), click('a', 130)]);
    await writeClickBatch(ctx, window, [click('b', 131), click('a', 132)]);

    const fromClicks = await sql<{ ip_hash: string; minute: string; clicks: string | bigint }>`
      select ip_hash, substr(clicked_at, 1, 16) as minute, count(*) as clicks from clicks
      where affiliate_id = ${link.affiliate_id}
      group by ip_hash, substr(clicked_at, 1, 16) order by ip_hash, minute`.execute(ctx.db);
    const rollup = await ctx.db
      .selectFrom('click_visitor_minutes')
      .select(['ip_hash', 'minute', 'clicks'])
      .where('affiliate_id', '=', link.affiliate_id)
      .orderBy('ip_hash')
      .orderBy('minute')
      .execute();
    const plain = (rows: { ip_hash: string; minute: string; clicks: unknown }[]) =>
      rows.map((r) => [r.ip_hash, r.minute, Number(r.clicks)]);
    expect(plain(rollup)).toEqual(plain(fromClicks.rows));
    // Visitor a: three clicks in the first minute, two in the third.
    expect(
      plain(rollup)
        .filter(([visitor]) => visitor === 'a')
        .map(([, , c]) => c),
    ).toEqual([3, 2]);
  });
});
