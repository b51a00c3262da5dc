import { DAY_MS } from '../clock.js';
import type { Ctx } from '../context.js';
import { holdsOf } from '../fraud/flags.js';
import { auditLedger, type LedgerAudit } from '../ledger/audit-ledger.js';
import { ledgerSumsByCode } from '../ledger/sums-by-code.js';
import { subOrdersOf } from '../orders/sub-orders-of.js';
import { BOT_AGENT, userAgents } from '../seed/demo-history.js';
import { type PlannedEvent, planOrder } from '../seed/demo-orders.js';
import { SeededRandom } from '../seed/random.js';
import { countStoredClicks } from '../tracking/count-clicks.js';
import type { ServerClient } from './server-client.js';
import { type TrafficSource, trafficSources } from './traffic-sources.js';

export type SimulationOptions = {
  days: number;
  affiliates: number;
  clicksPerDay: number;
  /** Share of people's clicks that become orders. */
  conversion: number;
  seed: number;
  /** Requests in flight at once. */
  concurrency: number;
  onDay?: (day: number, days: number) => void;
};

export type SimulationSummary = {
  from: string;
  to: string;
  affiliates: number;
  clicks: { sent: number; redirected: number; stored: number; unique: number };
  orders: { paid: number; attributed: number; events: number; rejected: number };
  /** From the sub-orders, in the settlement currency. */
  commission: {
    currency: string;
    estimatedMinor: bigint;
    settledMinor: bigint;
    invalidMinor: bigint;
    awaitingMinor: bigint;
  };
  /** Sub-orders held for fraud review (part of awaiting settlement), and their commission. */
  held: { subOrders: number; commissionMinor: bigint };
  /** The same, from the ledger's transfers for those sub-orders. */
  ledger: {
    bookedMinor: bigint;
    postedMinor: bigint;
    voidedMinor: bigint;
    clawedBackMinor: bigint;
  };
  agrees: boolean;
  payouts: { runs: number; withdrawals: number; paidMinor: bigint };
  audit: LedgerAudit;
};

const BOT_SHARE = 0.02;
/** Orders are paid this long after the day's clicks: a person takes a while to buy. */
const PAY_AFTER_S = 3600;

/**
 * Live traffic against a running demo server, a day at a time on its clock: visitors
 * follow the affiliates' links (`/c/…`), some buy, and the marketplace reports each order's
 * life (paid, shipped, confirmed, disputed, refunded: the demo's order planner) through the
 * signed merchant API as the days they happen come, an hour after the day's clicks (a
 * payment seconds after its click is click injection to the fraud signals); then the server
 * runs its due jobs and its clock moves on to the next day. All clicks come from this
 * machine, one visitor to the server: beyond `fraudClickFloodPerVisitor` clicks a day on an
 * affiliate's links its orders are flagged as a click flood and held for review, as they
 * should be; the summary counts them. The summary is read back from the database: the orders'
 * commission and the ledger's transfers for the same sub-orders, which must agree, and the
 * ledger audit.
 */
export async function simulate(
  ctx: Ctx,
  server: ServerClient,
  options: SimulationOptions,
): Promise<SimulationSummary> {
  const random = new SeededRandom(options.seed);
  const start = await server.clock();
  const sources = await trafficSources(ctx, random, {
    count: options.affiliates,
    baseUrl: server.baseUrl,
  });
  if (sources.length === 0)
    throw new Error('no approved affiliate with product links to send traffic to');
  const runTag = Date.parse(start.now).toString(36);
  const weights = sources.map((_, i) => 1 / (i + 1));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const queue: PlannedEvent[] = [];
  const orderIds: string[] = [];
  const clickIds: string[] = [];
  const summary = {
    clicks: { sent: 0, redirected: 0 },
    orders: { paid: 0, events: 0, rejected: 0 },
    payouts: { runs: 0, withdrawals: 0, paidMinor: 0n },
  };
  const buyers = new Set<string>();

  const sendDue = async () => {
    const now = server.serverNow().getTime();
    queue.sort((a, b) => a.at - b.at);
    const due = queue.filter((p) => p.at <= now);
    queue.splice(0, due.length);
    for (let from = 0; from < due.length; from += 500) {
      const results = await server.sendEvents(due.slice(from, from + 500).map((p) => p.event));
      summary.orders.events += results.length;
      summary.orders.rejected += results.filter((r) => r.status !== 'accepted').length;
    }
  };
  const runJobs = async () => {
    const jobs = await server.runJobs();
    if (jobs.payout_run && jobs.payout_run.withdrawals > 0) {
      summary.payouts.runs += 1;
      summary.payouts.withdrawals += jobs.payout_run.withdrawals;
      summary.payouts.paidMinor += BigInt(jobs.payout_run.paid_minor);
    }
  };

  for (let day = 0; day < options.days; day += 1) {
    // Visitors follow links: the bigger affiliates get more of them.
    const visits: {
      link: TrafficSource['links'][number];
      bot: boolean;
      sub1: string | null;
      userAgent: string;
    }[] = [];
    for (const [i, source] of sources.entries()) {
      const count = Math.round((options.clicksPerDay * (weights[i] as number)) / weightSum);
      for (let k = 0; k < count; k += 1) {
        const bot = random.chance(BOT_SHARE);
        visits.push({
          link: source.links[
            Math.floor(random.next() ** 2 * source.links.length)
          ] as TrafficSource['links'][number],
          bot,
          sub1: random.chance(0.5) ? 'simulate' : null,
          userAgent: bot ? BOT_AGENT : random.pick(userAgents),
        });
      }
    }
    const answered = await inParallel(visits, options.concurrency, (visit) =>
      server.click(visit.link.code, visit),
    );
    summary.clicks.sent += visits.length;
    // The clicks must be stored before the orders that name them arrive, an hour later.
    await server.flushClicks();
    await server.advance(PAY_AFTER_S);
    for (const [i, visit] of visits.entries()) {
      const click = answered[i];
      if (!click?.clickId) continue;
      summary.clicks.redirected += 1;
      clickIds.push(click.clickId);
      if (visit.bot || !random.chance(options.conversion)) continue;
      const orderId = `sim-${runTag}-${orderIds.length + 1}`;
      const buyerId = `sim-buyer-${random.int(1, 5_000)}`;
      orderIds.push(orderId);
      queue.push(
        ...planOrder(random, {
          orderId,
          product: visit.link.product,
          clickId: click.clickId,
          // Paid now: an hour after every click of the day, which the flush above has stored.
          paidAt: server.serverNow().getTime(),
          buyerId,
          isNewBuyer: !buyers.has(buyerId),
          country: random.pick(['DE', 'FR', 'ES', 'US', 'PL']),
        }),
      );
      buyers.add(buyerId);
      summary.orders.paid += 1;
    }
    await sendDue();
    await runJobs();
    await server.advance(DAY_MS / 1000 - PAY_AFTER_S);
    options.onDay?.(day + 1, options.days);
  }
  await sendDue();
  await runJobs();
  const end = await server.clock();

  const subs = await subOrdersOf(ctx, orderIds);
  const attributed = subs.filter((s) => s.affiliateId !== null);
  const currency = attributed[0]?.currency ?? 'USD';
  const sum = (items: readonly { value: bigint }[]) => items.reduce((a, b) => a + b.value, 0n);
  const commission = {
    currency,
    estimatedMinor: sum(attributed.map((s) => ({ value: s.commissionMinor }))),
    settledMinor: sum(
      attributed
        .filter((s) => s.status === 'completed_settlement')
        .map((s) => ({ value: s.settledMinor ?? 0n })),
    ),
    invalidMinor: sum(
      attributed.filter((s) => s.status === 'invalid').map((s) => ({ value: s.commissionMinor })),
    ),
    awaitingMinor: sum(
      attributed
        .filter((s) => s.status !== 'invalid' && s.status !== 'completed_settlement')
        .map((s) => ({ value: s.commissionMinor })),
    ),
  };
  const holds = await holdsOf(ctx.db, attributed);
  const held = {
    subOrders: holds.size,
    commissionMinor: sum(
      attributed.filter((s) => holds.has(s.subOrderId)).map((s) => ({ value: s.commissionMinor })),
    ),
  };
  const sums = await ledgerSumsByCode(
    ctx,
    attributed.map((s) => s.subOrderId),
  );
  const of = (code: string) => sums.get(`${code} ${currency}`) ?? 0n;
  const ledger = {
    bookedMinor: of('commission'),
    postedMinor: of('commission_settlement'),
    voidedMinor: of('commission_invalid'),
    clawedBackMinor: of('clawback'),
  };
  // Sub-orders still on their way must have their commission booked and nothing else.
  const awaiting = await ledgerSumsByCode(
    ctx,
    attributed
      .filter((s) => s.status !== 'invalid' && s.status !== 'completed_settlement')
      .map((s) => s.subOrderId),
  );
  const agrees =
    ledger.bookedMinor === commission.estimatedMinor &&
    ledger.postedMinor === commission.settledMinor &&
    ledger.voidedMinor === commission.invalidMinor &&
    (awaiting.get(`commission ${currency}`) ?? 0n) === commission.awaitingMinor &&
    awaiting.size <= 1;
  const clicks = await countStoredClicks(ctx, clickIds);
  return {
    from: start.now,
    to: end.now,
    affiliates: sources.length,
    clicks: { ...summary.clicks, ...clicks },
    orders: { ...summary.orders, attributed: new Set(attributed.map((s) => s.orderId)).size },
    commission,
    held,
    ledger,
    agrees,
    payouts: summary.payouts,
    audit: await auditLedger(ctx.db),
  };
}

/** Calls `work` on every item with at most `limit` calls in flight; results in item order. */
async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
