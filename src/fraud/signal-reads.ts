import { sql } from 'kysely';
import type { Ctx } from '../context.js';
import { cachedStatement } from '../db/bulk-upsert.js';
import { INVALID_REASONS } from '../orders/life-cycle.js';
import { addDays } from '../reports/periods.js';
import { type BurstWindow, burstKey, type VisitorWindow, visitorKey } from './click-windows.js';
import type { Burst, RefundStats } from './judge-signals.js';

type ReadCtx = Pick<Ctx, 'db' | 'sqlite'>;

/** The UTC minute of a stored time, as click_visitor_minutes keys it. */
const minuteOf = (at: string) => at.slice(0, 16);

/** Clicks counted per window at most: a flood or burst beyond it is one all the same. */
const MAX_COUNTED = 100_000;

// The visitor's clicks: its minutes of the window in click_visitor_minutes (one range of
// the primary key, at most 1,441 rows, whatever the affiliate's traffic). The clicks
// without a referrer: the window's first rows of the partial index of such clicks
// (affiliate, clicked at, IP hash), in time order, until the thresholds are reached.
const SQLITE_VISITOR = `select coalesce(sum(clicks), 0) as clicks from click_visitor_minutes
  where affiliate_id = ? and ip_hash = ? and minute >= ? and minute <= ?`;
const SQLITE_BURST = `select ip_hash from clicks
  where affiliate_id = ? and clicked_at >= ? and clicked_at <= ? and referrer is null
  order by clicked_at limit ?`;

/**
 * Rows read at first for a burst: enough to reach the thresholds when the clicks come from
 * many visitors (the usual case); a burst of few visitors reads on, up to MAX_COUNTED.
 */
const burstPage = (w: BurstWindow) =>
  Math.min(MAX_COUNTED, Math.max(500, 4 * Math.max(w.enoughClicks, w.enoughVisitors)));

/**
 * Counts a burst's clicks and visitors from its first rows, stopping once both reach the
 * thresholds (then `atLeast`). Undefined when the rows ran out of the page undecided: read on.
 */
function countBurst(w: BurstWindow, hashes: readonly string[], page: number): Burst | undefined {
  const visitors = new Set<string>();
  let clicks = 0;
  for (const hash of hashes) {
    clicks += 1;
    visitors.add(hash);
    if (clicks >= w.enoughClicks && visitors.size >= w.enoughVisitors) {
      // Exact when this was the window's last row; otherwise there may be more.
      const last = clicks === hashes.length && hashes.length < page;
      return last
        ? { clicks, visitors: visitors.size }
        : { clicks, visitors: visitors.size, atLeast: true };
    }
  }
  if (hashes.length < page || page >= MAX_COUNTED) return { clicks, visitors: visitors.size };
  return undefined;
}

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
          select coalesce(sum(m.clicks), 0) from click_visitor_minutes m
            where m.affiliate_id = v.a and m.ip_hash = v.h and m.minute >= v.f and m.minute <= v.t
          ) as clicks
        from unnest(${newVisitors.map((_, i) => i)}::int[], ${newVisitors.map((w) => w.affiliateId)}::text[],
          ${newVisitors.map((w) => w.ipHash)}::text[], ${newVisitors.map((w) => minuteOf(w.from))}::text[],
          ${newVisitors.map((w) => minuteOf(w.to))}::text[]) as v(i, a, h, f, t)`.execute(
        this.#ctx.db,
      );
      for (const row of rows)
        this.#visitors.set(visitorKey(newVisitors[row.i] as VisitorWindow), Number(row.clicks));
    }
    if (newBursts.length > 0) {
      // Each window's first rows in one statement; a window left undecided reads on alone.
      const page = Math.max(...newBursts.map(burstPage));
      const { rows } = await sql<{ i: number; ip_hash: string }>`select v.i, x.ip_hash
        from unnest(${newBursts.map((_, i) => i)}::int[], ${newBursts.map((w) => w.affiliateId)}::text[],
          ${newBursts.map((w) => w.from)}::text[], ${newBursts.map((w) => w.to)}::text[]) as v(i, a, f, t)
        cross join lateral (select c.ip_hash from clicks c
          where c.affiliate_id = v.a and c.clicked_at >= v.f and c.clicked_at <= v.t and c.referrer is null
          order by c.clicked_at limit ${page}) x`.execute(this.#ctx.db);
      const hashes = newBursts.map((): string[] => []);
      for (const row of rows) hashes[row.i]?.push(row.ip_hash);
      for (const [i, w] of newBursts.entries()) {
        const burst =
          countBurst(w, hashes[i] ?? [], page) ??
          countBurst(w, await this.#burstHashes(w, MAX_COUNTED), MAX_COUNTED);
        if (burst) this.#bursts.set(burstKey(w), burst);
      }
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
        w.ipHash,
        minuteOf(w.from),
        minuteOf(w.to),
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
      const page = burstPage(w);
      burst = countBurst(w, await this.#burstHashes(w, page), page) ??
        countBurst(w, await this.#burstHashes(w, MAX_COUNTED), MAX_COUNTED) ?? {
          clicks: 0,
          visitors: 0,
        };
    } else {
      await this.prefetch([], [w]);
      burst = this.#bursts.get(key) ?? { clicks: 0, visitors: 0 };
    }
    this.#bursts.set(key, burst);
    return burst;
  }

  /** The IP hashes of the window's first `limit` clicks without a referrer, in time order. */
  async #burstHashes(w: BurstWindow, limit: number): Promise<string[]> {
    if (this.#ctx.sqlite) {
      const rows = cachedStatement(this.#ctx.sqlite, SQLITE_BURST).all([
        w.affiliateId,
        w.from,
        w.to,
        limit,
      ]) as { ip_hash: string }[];
      return rows.map((r) => r.ip_hash);
    }
    const { rows } = await sql<{ ip_hash: string }>`select ip_hash from clicks
      where affiliate_id = ${w.affiliateId} and clicked_at >= ${w.from} and clicked_at <= ${w.to}
        and referrer is null
      order by clicked_at limit ${limit}`.execute(this.#ctx.db);
    return rows.map((r) => r.ip_hash);
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
    // One statement: the sub-orders paid in the window (the order rollups) and the Invalid
    // ones among them (the partial index); a payment batch asks once per affiliate.
    const row = await this.#ctx.db
      .selectNoFrom((eb) => [
        eb
          .selectFrom('order_daily')
          .select(sql<string | bigint>`coalesce(sum(leads), 0)`.as('n'))
          .where('affiliate_id', '=', affiliateId)
          .where('day', '>=', firstDay)
          .where('day', '<=', lastDay)
          .as('leads'),
        eb
          .selectFrom('sub_orders')
          .select((e) => e.fn.countAll<string | bigint>().as('n'))
          .where('affiliate_id', '=', affiliateId)
          .where('status', '=', 'invalid')
          .where('paid_at', '>=', `${firstDay}T00:00:00.000Z`)
          .where('paid_at', '<', `${addDays(lastDay, 1)}T00:00:00.000Z`)
          .where('invalid_reason', 'in', [INVALID_REASONS.cancelled, INVALID_REASONS.refunded])
          .as('refunded'),
      ])
      .executeTakeFirstOrThrow();
    const subOrders = Number(row.leads ?? 0);
    const refunded = subOrders > 0 ? Number(row.refunded ?? 0) : 0;
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
