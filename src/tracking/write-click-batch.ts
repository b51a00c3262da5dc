import { type Ctx, inTransaction } from '../context.js';
import { type BulkSpec, bulkUpsertAll, MAX_BULK_ROWS } from '../db/bulk-upsert.js';
import { dayOf } from '../db/time.js';
import { type ClickEvent, UNIQUE_WINDOW_MS } from './click.js';
import { decodeClicks } from './click-line.js';
import type { UniqueWindow } from './unique-window.js';

const text = (name: string) => ({ name, type: 'text' as const });
const clickSpec: BulkSpec = {
  table: 'clicks',
  columns: [
    ...[
      'id',
      'clicked_at',
      'link_id',
      'affiliate_id',
      'tracking_id',
      'sub1',
      'sub2',
      'sub3',
      'sub4',
      'sub5',
    ].map(text),
    ...['ip_hash', 'user_agent', 'referrer', 'country'].map(text),
    { name: 'is_bot', type: 'bigint' },
    { name: 'is_unique', type: 'bigint' },
  ],
  conflict: ['id'],
  // A click id is written once; a replayed spill file cannot store it twice.
  update: 'nothing',
};
const counters = [
  { name: 'clicks', type: 'bigint' },
  { name: 'unique_clicks', type: 'bigint' },
  { name: 'bot_clicks', type: 'bigint' },
] as const;
const rollupSpec = (
  table: 'click_daily' | 'click_daily_sub',
  dimension: 'country' | 'sub1',
): BulkSpec => ({
  table,
  columns: [
    { name: 'affiliate_id', type: 'text' },
    { name: 'day', type: 'text' },
    { name: 'tracking_id', type: 'text' },
    { name: dimension, type: 'text' },
    ...counters,
  ],
  conflict: ['affiliate_id', 'day', 'tracking_id', dimension],
  update: 'nothing',
  increment: counters.map((c) => c.name),
});
const visitorMinuteSpec: BulkSpec = {
  table: 'click_visitor_minutes',
  columns: [
    { name: 'affiliate_id', type: 'text' },
    { name: 'ip_hash', type: 'text' },
    { name: 'minute', type: 'text' },
    { name: 'clicks', type: 'bigint' },
  ],
  conflict: ['affiliate_id', 'ip_hash', 'minute'],
  update: 'nothing',
  increment: ['clicks'],
};
const dailySpec = rollupSpec('click_daily', 'country');
const dailySubSpec = rollupSpec('click_daily_sub', 'sub1');

export type WriteOptions = {
  /** The clicks may have been written before (a spill file being replayed): skip those. */
  replay?: boolean;
};

/** writeClickBatch for clicks as lines of text (click-line.ts), as the recorder holds them. */
export function writeClickLines(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite'>,
  window: UniqueWindow,
  lines: Uint8Array,
  options: WriteOptions = {},
): Promise<number> {
  const text = Buffer.from(lines.buffer, lines.byteOffset, lines.byteLength).toString('utf8');
  return writeClickBatch(ctx, window, decodeClicks(text), options);
}

/**
 * Stores a batch of clicks and adds them to the daily rollups, in one transaction, so the
 * rollups always equal the raw clicks. Marks each click unique unless the same visitor
 * clicked the same link in the hour before it.
 */
export async function writeClickBatch(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite'>,
  window: UniqueWindow,
  batch: readonly ClickEvent[],
  options: WriteOptions = {},
): Promise<number> {
  if (batch.length === 0) return 0;
  return inTransaction(ctx, async (tx) => {
    let clicks = batch;
    if (options.replay) {
      // A spill file may hold a click twice (spilled, then spilled again after a failed replay).
      clicks = [...new Map(batch.map((c) => [c.id, c])).values()];
      const stored = new Set<string>();
      for (let start = 0; start < clicks.length; start += MAX_BULK_ROWS) {
        const ids = clicks.slice(start, start + MAX_BULK_ROWS).map((c) => c.id);
        for (const row of await tx.db
          .selectFrom('clicks')
          .select('id')
          .where('id', 'in', ids)
          .execute())
          stored.add(row.id);
      }
      clicks = clicks.filter((c) => !stored.has(c.id));
    }
    const unique = uniqueFlags(window, clicks);
    const rows = clicks.map((c, i) => {
      const [sub1, sub2, sub3, sub4, sub5] = c.subs;
      // clickSpec's column order, written out: spreads cost a per-click allocation.
      return [
        c.id,
        c.clickedAt,
        c.linkId,
        c.affiliateId,
        c.trackingId,
        sub1,
        sub2,
        sub3,
        sub4,
        sub5,
        c.ipHash,
        c.userAgent,
        c.referrer,
        c.country,
        c.isBot ? 1n : 0n,
        unique[i] ? 1n : 0n,
      ];
    });
    await bulkUpsertAll(tx, clickSpec, rows);
    // Several servers' writers add to the same rollup rows on PostgreSQL: in key order, so
    // they lock the rows they share in the same order and cannot deadlock.
    const inKeyOrder = ctx.dialect === 'postgres';
    await bulkUpsertAll(
      tx,
      dailySpec,
      rollup(clicks, unique, (c) => c.country ?? '', inKeyOrder),
    );
    await bulkUpsertAll(
      tx,
      dailySubSpec,
      rollup(clicks, unique, (c) => c.subs[0] ?? '', inKeyOrder),
    );
    await bulkUpsertAll(tx, visitorMinuteSpec, visitorMinutes(clicks, inKeyOrder));
    return clicks.length;
  });
}

/** One unique flag per click: bots never; otherwise no click of the visitor on the link in the hour before. */
function uniqueFlags(window: UniqueWindow, clicks: readonly ClickEvent[]): boolean[] {
  return clicks.map((c) => {
    if (c.isBot) return false;
    const key = `${c.ipHash} ${c.linkId}`;
    const at = Date.parse(c.clickedAt);
    const previous = window.get(key, at);
    window.set(key, at);
    return previous === undefined || at - previous >= UNIQUE_WINDOW_MS;
  });
}

/** The batch's clicks per (affiliate, visitor, minute), bots included (the flood signal counts every click). */
function visitorMinutes(clicks: readonly ClickEvent[], inKeyOrder: boolean): unknown[][] {
  const rows = new Map<string, [string, string, string, bigint]>();
  for (const c of clicks) {
    const minute = c.clickedAt.slice(0, 16);
    const key = `${c.affiliateId} ${c.ipHash} ${minute}`;
    const row = rows.get(key);
    if (row) row[3] += 1n;
    else rows.set(key, [c.affiliateId, c.ipHash, minute, 1n]);
  }
  if (!inKeyOrder) return [...rows.values()];
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/** The rollup rows of a batch, one per key; `inKeyOrder` sorts them by their key. */
function rollup(
  clicks: readonly ClickEvent[],
  unique: readonly boolean[],
  dimension: (c: ClickEvent) => string,
  inKeyOrder = false,
): unknown[][] {
  const rows = new Map<string, [string, string, string, string, bigint, bigint, bigint]>();
  clicks.forEach((c, i) => {
    const value = dimension(c);
    const day = dayOf(c.clickedAt);
    const key = `${c.affiliateId} ${day} ${c.trackingId} ${value}`;
    let row = rows.get(key);
    if (!row) {
      row = [c.affiliateId, day, c.trackingId, value, 0n, 0n, 0n];
      rows.set(key, row);
    }
    if (c.isBot) row[6] += 1n;
    else {
      row[4] += 1n;
      if (unique[i]) row[5] += 1n;
    }
  });
  if (!inKeyOrder) return [...rows.values()];
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}
