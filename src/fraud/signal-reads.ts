import { sql } from 'kysely';
import type { Ctx } from '../context.js';
import { cachedStatement } from '../db/bulk-upsert.js';
import { INVALID_REASONS } from '../orders/life-cycle.js';
import { addDays } from '../reports/periods.js';
import { orderCounts } from '../reports/queries.js';
import { type BurstWindow, burstKey, type VisitorWindow, visitorKey } from './click-windows.js';
import type { Burst, RefundStats } from './judge-signals.js';

type ReadCtx = Pick<Ctx, 'db' | 'sqlite'>;

/** Clicks counted per window at most: a flood or burst beyond it is one all the same. */
const MAX_COUNTED = 100_000;

// Both walk the (affiliate, clicked at, IP hash) index over the window: the visitor's clicks
// from the index alone, the clicks without a referrer reading each click's referrer.
const SQLITE_VISITOR = `select count(*) as clicks from (select 1 from clicks
  where affiliate_id = ? and clicked_at >= ? and clicked_at <= ? and ip_hash = ? limit ${MAX_COUNTED})`;
const SQLITE_BURST = `select count(*) as clicks, count(distinct ip_hash) as visitors from (
  select ip_hash from clicks
  where affiliate_id = ? and clicked_at >= ? and clicked_at <= ? and referrer is null limit ${MAX_COUNTED})`;

/**
 * The database reads behind the fraud signals of payments (clicks from one visitor, bursts
 * of clicks without a referrer, the affiliate's refunds), each answered once: a batch of
 * payments reads its click windows ahead (`prefetch`, one statement per kind on
 * PostgreSQL) and the refund figures once per affiliate and day. Inside the transaction
 * of the payments it judges.
 */
export class SignalReads {
  readonly #visitors = new Map<string, number>();
  readonly #bursts = new Map<string, Burst>();
  readonly #refunds = new Map<string, RefundStats>();
  readonly #ctx: ReadCtx;

  constructor(ctx: ReadCtx) {
    this.#ctx = ctx;
  }

  /** Counts many windows at once (a batch of payments), for the reads below to answer from memory. */
  async prefetch(
    visitors: readonly VisitorWindow[],
    bursts: readonly BurstWindow[],
  ): Promise<void> {
    const newVisitors = unique(visitors, visitorKey).filter(
      (w) => !this.#visitors.has(visitorKey(w)),
    );
    const newBursts = unique(bursts, burstKey).filter((w) => !this.#bursts.has(burstKey(w)));
    if (this.#ctx.sqlite) {
      // In-process: a cached statement per window costs microseconds.
      for (const w of newVisitors) await this.visitorClicks(w);
      for (const w of newBursts) await this.burst(w);
      return;
    }
    if (newVisitors.length > 0) {
      const { rows } = await sql<{ i: number; clicks: string }>`select v.i, (
          select count(*) from (select 1 from clicks c
            where c.affiliate_id = v.a and c.clicked_at >= v.f and c.clicked_at <= v.t and c.ip_hash = v.h
            limit ${MAX_COUNTED}) x) as clicks
        from unnest(${newVisitors.map((_, i) => i)}::int[], ${newVisitors.map((w) => w.affiliateId)}::text[],
          ${newVisitors.map((w) => w.ipHash)}::text[], ${newVisitors.map((w) => w.from)}::text[],
          ${newVisitors.map((w) => w.to)}::text[]) as v(i, a, h, f, t)`.execute(this.#ctx.db);
      for (const row of rows)
        this.#visitors.set(visitorKey(newVisitors[row.i] as VisitorWindow), Number(row.clicks));
    }
    if (newBursts.length > 0) {
      const { rows } = await sql<{
        i: number;
        clicks: string;
        visitors: string;
      }>`select v.i, x.clicks, x.visitors
        from unnest(${newBursts.map((_, i) => i)}::int[], ${newBursts.map((w) => w.affiliateId)}::text[],
          ${newBursts.map((w) => w.from)}::text[], ${newBursts.map((w) => w.to)}::text[]) as v(i, a, f, t)
        cross join lateral (select count(*) as clicks, count(distinct y.ip_hash) as visitors
          from (select c.ip_hash from clicks c
            where c.affiliate_id = v.a and c.clicked_at >= v.f and c.clicked_at <= v.t and c.referrer is null
            limit ${MAX_COUNTED}) y) x`.execute(this.#ctx.db);
      for (const row of rows)
        this.#bursts.set(burstKey(newBursts[row.i] as BurstWindow), {
          clicks: Number(row.clicks),
          visitors: Number(row.visitors),
        });
    }
  }

  /** Clicks on the affiliate's links from one visitor in the window. */
  async visitorClicks(w: VisitorWindow): Promise<number> {
    const key = visitorKey(w);
    const known = this.#visitors.get(key);
    if (known !== undefined) return known;
    let clicks: number;
    if (this.#ctx.sqlite) {
      const row = cachedStatement(this.#ctx.sqlite, SQLITE_VISITOR).get([
        w.affiliateId,
        w.from,
        w.to,
        w.ipHash,
      ]) as { clicks: bigint };
      clicks = Number(row.clicks);
    } else {
      await this.prefetch([w], []);
      clicks = this.#visitors.get(key) ?? 0;
    }
    this.#visitors.set(key, clicks);
    return clicks;
  }

  /** Clicks on the affiliate's links without a referrer in the window, and their visitors. */
  async burst(w: BurstWindow): Promise<Burst> {
    const key = burstKey(w);
    const known = this.#bursts.get(key);
    if (known) return known;
    let burst: Burst;
    if (this.#ctx.sqlite) {
      const row = cachedStatement(this.#ctx.sqlite, SQLITE_BURST).get([
        w.affiliateId,
        w.from,
        w.to,
      ]) as {
        clicks: bigint;
        visitors: bigint;
      };
      burst = { clicks: Number(row.clicks), visitors: Number(row.visitors) };
    } else {
      await this.prefetch([], [w]);
      burst = this.#bursts.get(key) ?? { clicks: 0, visitors: 0 };
    }
    this.#bursts.set(key, burst);
    return burst;
  }

  /**
   * The affiliate's sub-orders paid in the `days` UTC days up to `paidAt`'s (that day
   * included), from the order rollups, and how many of them became Invalid by a refund in
   * full or a cancellation (a partial index holds only Invalid sub-orders).
   */
  async refunds(affiliateId: string, paidAt: Date, days: number): Promise<RefundStats> {
    const lastDay = paidAt.toISOString().slice(0, 10);
    const firstDay = addDays(lastDay, 1 - days);
    const key = `${affiliateId} ${firstDay} ${lastDay}`;
    const known = this.#refunds.get(key);
    if (known) return known;
    const counts = await orderCounts(
      this.#ctx.db,
      affiliateId,
      { from: firstDay, to: lastDay },
      'day',
    );
    const subOrders = counts.reduce((sum, row) => sum + Number(row.leads), 0);
    let refunded = 0;
    if (subOrders > 0) {
      const row = await this.#ctx.db
        .selectFrom('sub_orders')
        .select((eb) => eb.fn.countAll<string | bigint>().as('n'))
        .where('affiliate_id', '=', affiliateId)
        .where('status', '=', 'invalid')
        .where('paid_at', '>=', `${firstDay}T00:00:00.000Z`)
        .where('paid_at', '<', `${addDays(lastDay, 1)}T00:00:00.000Z`)
        .where('invalid_reason', 'in', [INVALID_REASONS.cancelled, INVALID_REASONS.refunded])
        .executeTakeFirstOrThrow();
      refunded = Number(row.n);
    }
    const stats = { subOrders, refunded };
    this.#refunds.set(key, stats);
    return stats;
  }
}

function unique<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) seen.set(key(item), item);
  return [...seen.values()];
}
