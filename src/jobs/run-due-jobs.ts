import { type Ctx, inTransaction } from '../context.js';
import { toDbTime } from '../db/time.js';
import { takeWriteLock } from '../db/write-lock.js';
import { settleDueInFull } from '../orders/settle-in-full.js';
import { syncOrders } from '../orders/sync-order.js';
import { releaseSellerPayments } from '../sellers/release-seller-payments.js';
import { loadSettingsTimeline } from '../settings/settings-timeline.js';

export type JobsReport = {
  ordersChecked: number;
  settled: number;
  invalidated: number;
  confirmed: number;
  /** Sellers' releases booked (seller_release transfers) for sub-orders settled by now. */
  sellerReleases: number;
};

/**
 * Sub-orders settled per transaction. On SQLite a commit writes every page the transaction
 * touched, and settling touches pages all over the sub-order and ledger indexes, so tiny
 * transactions write the same pages over and over (a 300,000-row test table: 3,000 per
 * transaction settled 12k/s, 30,000 settled 37k/s). Past tens of thousands it stops
 * paying: the fast lane on 1M sub-orders took 23.9, 22.3, 23.2, 26.2 and 34.3 s at 10k,
 * 25k, 50k, 200k and 1M per transaction. The server's scheduler passes a smaller page so
 * that API requests do not wait long behind the job.
 */
export const SUB_ORDERS_PER_PASS = { sqlite: 50_000, postgres: 10_000 } as const;
const MAX_PASSES = 100_000;

/**
 * Each of its transactions takes SQLite's write lock first (takeWriteLock): they read, then
 * write what they read, and the click writer's commits in between would otherwise leave the
 * read stale (SQLITE_BUSY at the first write; the soak met it on settlement).
 *
 * Runs every job that is due at the clock's now, once: each order with a sub-order due
 * (end of protection → receipt confirmed, settlement delay over → settled, 180 days
 * unsettled → invalid) is brought up to date, a page of orders per transaction, then the
 * sellers' share of what settled is released to them. Safe to run from
 * several processes: every ledger step is keyed and a pending transfer resolves once.
 */
export async function runDueJobs(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
  options: { subOrdersPerPass?: number } = {},
): Promise<JobsReport> {
  const perPass = options.subOrdersPerPass ?? SUB_ORDERS_PER_PASS[ctx.dialect];
  const now = toDbTime(ctx.clock.now());
  const report: JobsReport = {
    ordersChecked: 0,
    settled: 0,
    invalidated: 0,
    confirmed: 0,
    sellerReleases: 0,
  };
  // The fast lane first: sub-orders that only wait for their settlement time settle
  // set-based (settleDueInFull); then everything still due takes the full path.
  const settings = await loadSettingsTimeline(ctx.db);
  const checked = new Set<string>();
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    const fast = await inTransaction(ctx, async (tx) => {
      await takeWriteLock(tx);
      return settleDueInFull(tx, settings, perPass);
    });
    report.settled += fast.settled;
    for (const id of fast.orderIds) checked.add(id);
    if (fast.settled === 0 || fast.candidates < perPass) break;
  }
  const seen = new Set<string>();
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    // Oldest due first, straight off the due_at index. A synced sub-order is no longer due
    // (settled, invalid, or due later), so each pass finds the next ones without a cursor.
    const due = await ctx.db
      .selectFrom('sub_orders')
      .select('order_id')
      .where('due_at', '<=', now)
      .where('status', 'in', ['payment_completed', 'buyer_confirmed_receipt'])
      .orderBy('due_at')
      .limit(perPass)
      .execute();
    const orderIds = [...new Set(due.map((d) => d.order_id))].filter((id) => !seen.has(id));
    if (orderIds.length === 0) break;
    for (const id of orderIds) seen.add(id);
    // One transaction per page of orders: a few reads, decisions in memory, bulk writes.
    const synced = await inTransaction(ctx, async (tx) => {
      await takeWriteLock(tx);
      return syncOrders(tx, orderIds, { settle: true, settings });
    });
    for (const [orderId, summaries] of synced) {
      checked.add(orderId);
      for (const s of summaries) {
        if (!s.changed) continue;
        if (s.status === 'completed_settlement') report.settled += 1;
        else if (s.status === 'invalid') report.invalidated += 1;
        else if (s.status === 'buyer_confirmed_receipt') report.confirmed += 1;
      }
    }
  }
  // Then the sellers' share of what is settled (and of anything settled before and not yet
  // released): a pass per transaction off the partial index of sub-orders waiting for it.
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    const release = await inTransaction(ctx, async (tx) => {
      await takeWriteLock(tx);
      return releaseSellerPayments(tx, perPass);
    });
    report.sellerReleases += release.released;
    if (release.candidates < perPass) break;
  }
  report.ordersChecked = checked.size;
  return report;
}
