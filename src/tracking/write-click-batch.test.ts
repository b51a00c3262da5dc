import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../db/connection.js';
import { createTestContext, type TestContext } from '../test/context.js';
import { seedLink } from '../test/tracking.js';
import type { ClickEvent } from './click.js';
import { UniqueWindow } from './unique-window.js';
import { writeClickBatch } from './write-click-batch.js';

const databaseUrl = process.env.DATABASE_URL;

describe.skipIf(!databaseUrl)(
  `two servers' click writers on one database [postgres${databaseUrl ? '' : ': skipped, DATABASE_URL not set'}]`,
  () => {
    let ctx: TestContext & { close(): Promise<void>; pgSchema?: string };
    beforeAll(async () => {
      ctx = await createTestContext('postgres');
    });
    afterAll(() => ctx?.close());

    let n = 0;
    const clickOn = (link: { id: string; affiliateId: string; trackingId: string }) =>
      ({
        id: `01lock${String(++n).padStart(20, '0')}`,
        clickedAt: ctx.clock.now().toISOString(),
        linkId: link.id,
        affiliateId: link.affiliateId,
        trackingId: link.trackingId,
        subs: [null, null, null, null, null],
        ipHash: `visitor-${n}`,
        userAgent: null,
        referrer: null,
        country: null,
        isBot: false,
      }) satisfies ClickEvent;

    it('add to the rollup rows they share in key order, so they wait for each other instead of deadlocking', async () => {
      const links = [];
      for (const seeded of [await seedLink(ctx), await seedLink(ctx)]) {
        const row = await ctx.db
          .selectFrom('links')
          .select(['id', 'affiliate_id', 'tracking_id'])
          .where('code', '=', seeded.link.code)
          .executeTakeFirstOrThrow();
        links.push({ id: row.id, affiliateId: row.affiliate_id, trackingId: row.tracking_id });
      }
      links.sort((a, b) => (a.affiliateId < b.affiliateId ? -1 : 1));
      const [first, second] = links as [(typeof links)[0], (typeof links)[0]];
      // The rollup rows of both affiliates exist.
      await writeClickBatch(ctx, new UniqueWindow(), [clickOn(first), clickOn(second)]);

      // Another server's writer holds the first affiliate's row…
      const other = connect({
        databaseUrl,
        pgSchema: ctx.pgSchema as string,
        pgPoolSize: 1,
      });
      const lockRow = (trx: typeof other.db, affiliateId: string) =>
        sql`update click_daily set clicks = clicks where affiliate_id = ${affiliateId}`.execute(
          trx,
        );
      let writing: Promise<{ written: number } | { error: unknown }> | undefined;
      try {
        await other.db.transaction().execute(async (trx) => {
          await lockRow(trx, first.affiliateId);
          const holder = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
          // …while this batch, whose clicks name the second affiliate first, is written…
          writing = writeClickBatch(ctx, new UniqueWindow(), [
            clickOn(second),
            clickOn(first),
          ]).then(
            (written) => ({ written }),
            (error: unknown) => ({ error }),
          );
          await waitUntilBlockedBy(ctx, holder.rows[0]?.pid as number);
          // …and then wants the second affiliate's row: free, as the batch waits for the first.
          await lockRow(trx, second.affiliateId);
        });
      } finally {
        await other.close();
      }
      expect(await writing).toEqual({ written: 2 });
      const rows = await ctx.db
        .selectFrom('click_daily')
        .select(['affiliate_id', 'clicks'])
        .where('affiliate_id', 'in', [first.affiliateId, second.affiliateId])
        .orderBy('affiliate_id')
        .execute();
      expect(rows.map((r) => r.clicks)).toEqual([2n, 2n]);
    });
  },
);

/** Until a statement of another session waits for a lock `pid` holds (bounded: 5 s). */
async function waitUntilBlockedBy(ctx: TestContext, pid: number): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    const blocked = await sql<{ n: bigint }>`select count(*) as n from pg_stat_activity
      where ${pid}::int = any(pg_blocking_pids(pid))`.execute(ctx.db);
    if ((blocked.rows[0]?.n ?? 0n) > 0n) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`nothing waited for session ${pid}`);
}
