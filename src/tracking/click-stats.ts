import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/types.js';
import { parseInput } from '../lib/parse-input.js';

export const clickStatsInput = z
  .object({
    affiliateId: z.string().min(1).max(64),
    from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day, YYYY-MM-DD'),
    to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day, YYYY-MM-DD'),
    by: z.enum(['day', 'tracking_id', 'sub1', 'country']),
  })
  .strict()
  .refine((q) => q.from <= q.to, 'from must not be after to')
  .refine(
    (q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000,
    'at most 366 days at a time',
  );

export type ClickStatsRow = {
  key: string;
  clicks: bigint;
  uniqueClicks: bigint;
  botClicks: bigint;
};

/**
 * An affiliate's clicks between two days (inclusive), grouped by day, tracking id, sub1 or
 * country; read from the rollups the click writer keeps, never from raw clicks. Clicks
 * are people's clicks; bots are counted apart.
 */
export async function clickStats(
  db: Db,
  input: z.input<typeof clickStatsInput>,
): Promise<ClickStatsRow[]> {
  const q = parseInput(clickStatsInput, input);
  const table = q.by === 'sub1' ? 'click_daily_sub' : 'click_daily';
  const rows = await db
    .selectFrom(table)
    .leftJoin('tracking_ids', 'tracking_ids.id', `${table}.tracking_id`)
    .select([
      q.by === 'day'
        ? sql<string>`${sql.ref(`${table}.day`)}`.as('key')
        : q.by === 'tracking_id'
          ? sql<string>`coalesce(tracking_ids.name, ${sql.ref(`${table}.tracking_id`)})`.as('key')
          : sql<string>`${sql.ref(`${table}.${q.by}`)}`.as('key'),
      sql<bigint>`cast(sum(${sql.ref(`${table}.clicks`)}) as bigint)`.as('clicks'),
      sql<bigint>`cast(sum(${sql.ref(`${table}.unique_clicks`)}) as bigint)`.as('unique_clicks'),
      sql<bigint>`cast(sum(${sql.ref(`${table}.bot_clicks`)}) as bigint)`.as('bot_clicks'),
    ])
    .where(`${table}.affiliate_id`, '=', q.affiliateId)
    .where(`${table}.day`, '>=', q.from)
    .where(`${table}.day`, '<=', q.to)
    .groupBy('key')
    .orderBy('key')
    .execute();
  return rows.map((r) => ({
    key: r.key,
    clicks: BigInt(r.clicks),
    uniqueClicks: BigInt(r.unique_clicks),
    botClicks: BigInt(r.bot_clicks),
  }));
}
