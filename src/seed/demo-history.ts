import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setBankAccount } from '../affiliates/bank-accounts.js';
import { DAY_MS, type ManualClock } from '../clock.js';
import type { Ctx } from '../context.js';
import { runDueJobs } from '../jobs/run-due-jobs.js';
import { ulid } from '../lib/ulid.js';
import { ingestEvents } from '../orders/ingest-event.js';
import { exportBatch } from '../payouts/export-batch.js';
import { importResults } from '../payouts/import-results.js';
import { withdrawalsAfter } from '../payouts/operator-queries.js';
import { runPayoutIfDue } from '../payouts/payout-day.js';
import type { Withdrawal } from '../payouts/schema.js';
import type { ClickEvent } from '../tracking/click.js';
import { UniqueWindow } from '../tracking/unique-window.js';
import { writeClickBatch } from '../tracking/write-click-batch.js';
import type { DemoAffiliate } from './demo-affiliates.js';
import { type PlannedEvent, planOrder } from './demo-orders.js';
import { SeededRandom } from './random.js';

export type HistorySummary = {
  days: number;
  clicks: number;
  orders: number;
  events: number;
  payoutRuns: number;
  withdrawals: number;
  failedTransfers: number;
};

const countries = ['DE', 'DE', 'FR', 'ES', 'IT', 'NL', 'PL', 'US', 'US', 'GB', 'BR', 'AT'];
/** What the demo's visitors browse with. */
export const userAgents = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
  'Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Version/18.1 Safari/605.1.15',
];
export const BOT_AGENT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const EVENTS_PER_BATCH = 500;
/**
 * The smallest affiliate cheats on a few of the last days: 40 clicks from one visitor in
 * 40 minutes (a click flood), and two orders paid 4 s and 20 min after the last of them
 * (the first a click injection too). The fraud signals hold them for review, so the
 * console's fraud flags have something to show. Its own random numbers: the rest of the
 * history is the same with it or without it.
 */
const CHEAT_DAYS_BEFORE_END = [12, 7, 3];
const CHEAT_CLICKS = 40;
const CHEAT_PAID_AFTER_MS = [4_000, 20 * 60_000];

/**
 * `days` of program life up to `end`, made by the real services on a clock moved a day at
 * a time: each day the affiliates' visitors click (written by the click writer, rollups
 * and unique-visitor window included), some of them buy, and the marketplace reports what
 * happens to each order as merchant events; then the due jobs run (auto-confirmation,
 * settlement). On payout day the monthly run pays last month's balances and the bank files
 * are made; two days later the bank's results come back, one transfer of the first run
 * refused, whose affiliate enters a new account before the next run.
 */
export async function seedHistory(
  ctx: Ctx,
  clock: ManualClock,
  random: SeededRandom,
  options: {
    affiliates: readonly DemoAffiliate[];
    end: Date;
    days: number;
    /** This affiliate's transfers are never the refused one. */
    keepPaid?: string;
    onDay?: (day: number, days: number) => void;
  },
): Promise<HistorySummary> {
  const end = options.end.getTime();
  const start = Math.floor(end / DAY_MS) * DAY_MS - options.days * DAY_MS;
  const summary: HistorySummary = {
    days: options.days,
    clicks: 0,
    orders: 0,
    events: 0,
    payoutRuns: 0,
    withdrawals: 0,
    failedTransfers: 0,
  };
  const window = new UniqueWindow();
  const due = new Map<number, PlannedEvent[]>(); // events by day index
  const buyers = new Set<string>();
  const files = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-demo-'));
  let orderSeq = 0;
  let pendingResults: { day: number; lines: string[] } | undefined;
  let refusedAffiliate: DemoAffiliate | undefined;
  const cheatRandom = new SeededRandom(20_261_209);
  let cheatSeq = 0;

  try {
    for (let day = 0; day <= options.days; day += 1) {
      const dayStart = start + day * DAY_MS;
      const dayEnd = Math.min(dayStart + DAY_MS - 1000, end);
      if (dayEnd <= dayStart) break;
      const weekday = new Date(dayStart).getUTCDay();
      const seasonal = (weekday === 0 || weekday === 6 ? 1.25 : 1) * (0.7 + (0.3 * day) / 45);
      const share = (dayEnd - dayStart) / DAY_MS;

      // Visitors click; a few of them buy.
      const clicks: ClickEvent[] = [];
      for (const affiliate of options.affiliates) {
        const count = Math.round(
          affiliate.clicksPerDay * seasonal * share * (0.8 + 0.4 * random.next()),
        );
        for (let k = 0; k < count; k += 1) {
          const link = affiliate.links[Math.floor(random.next() ** 2 * affiliate.links.length)];
          if (!link) break;
          const isBot = random.chance(0.02);
          const visitor = random.int(0, count * 3);
          clicks.push({
            id: '',
            clickedAt: String(dayStart + Math.floor(random.next() * (dayEnd - dayStart))),
            linkId: link.id,
            affiliateId: affiliate.id,
            trackingId: link.trackingRowId,
            subs: [
              affiliate.sources.length && random.chance(0.7)
                ? random.pick(affiliate.sources)
                : null,
              null,
              null,
              null,
              null,
            ],
            ipHash: `demo-${affiliate.id}-${visitor}`,
            userAgent: isBot ? BOT_AGENT : random.pick(userAgents),
            referrer: null,
            country: random.pick(countries),
            isBot,
          });
        }
      }
      clicks.sort((a, b) => Number(a.clickedAt) - Number(b.clickedAt));
      const byAffiliate = new Map(options.affiliates.map((a) => [a.id, a]));
      for (const click of clicks) {
        const at = Number(click.clickedAt);
        click.id = ulid(at);
        click.clickedAt = new Date(at).toISOString();
        const affiliate = byAffiliate.get(click.affiliateId) as DemoAffiliate;
        if (click.isBot || !random.chance(affiliate.conversion)) continue;
        const link = affiliate.links.find((l) => l.id === click.linkId);
        if (!link) continue;
        orderSeq += 1;
        const buyerId = `buyer-${random.int(1, 4000)}`;
        const isNewBuyer = !buyers.has(buyerId);
        buyers.add(buyerId);
        const planned = planOrder(random, {
          orderId: String(80_000_000_000 + orderSeq),
          product: link.product,
          clickId: click.id,
          paidAt: at + random.int(2, 240) * 60_000,
          buyerId,
          isNewBuyer,
          country: click.country ?? 'DE',
        });
        for (const event of planned) {
          const index = Math.floor((event.at - start) / DAY_MS);
          if (event.at > end) continue; // still to come
          const list = due.get(index) ?? [];
          list.push(event);
          due.set(index, list);
        }
      }
      const cheat = options.affiliates.at(-1);
      const cheatLink = cheat?.links[0];
      if (cheat && cheatLink && CHEAT_DAYS_BEFORE_END.includes(options.days - day)) {
        const firstMs = dayStart + 14 * 3_600_000;
        for (let k = 0; k < CHEAT_CLICKS; k += 1) {
          const at = firstMs + k * 60_000;
          clicks.push({
            id: ulid(at),
            clickedAt: new Date(at).toISOString(),
            linkId: cheatLink.id,
            affiliateId: cheat.id,
            trackingId: cheatLink.trackingRowId,
            subs: [null, null, null, null, null],
            ipHash: `demo-${cheat.id}-flood`,
            userAgent: userAgents[0] ?? null,
            referrer: null,
            country: 'DE',
            isBot: false,
          });
        }
        const last = clicks.at(-1) as ClickEvent;
        for (const delay of CHEAT_PAID_AFTER_MS) {
          cheatSeq += 1;
          for (const event of planOrder(cheatRandom, {
            orderId: String(81_000_000_000 + cheatSeq),
            product: cheatLink.product,
            clickId: last.id,
            paidAt: Date.parse(last.clickedAt) + delay,
            buyerId: `buyer-cheat-${cheatSeq}`,
            isNewBuyer: true,
            country: 'DE',
          })) {
            if (event.at > end) continue;
            const index = Math.floor((event.at - start) / DAY_MS);
            due.set(index, [...(due.get(index) ?? []), event]);
          }
        }
      }
      clock.set(new Date(dayEnd));
      for (let from = 0; from < clicks.length; from += 5_000)
        summary.clicks += await writeClickBatch(ctx, window, clicks.slice(from, from + 5_000));

      // The marketplace reports the day's events, in the order they happened.
      const today = (due.get(day) ?? []).sort((a, b) => a.at - b.at);
      due.delete(day);
      for (let from = 0; from < today.length; from += EVENTS_PER_BATCH) {
        const batch = today.slice(from, from + EVENTS_PER_BATCH);
        const outcomes = await ingestEvents(
          ctx,
          batch.map((p) => p.event),
        );
        for (const [i, outcome] of outcomes.entries()) {
          if (outcome.status !== 'accepted')
            throw new Error(
              `demo event ${JSON.stringify(batch[i]?.event)} refused: ${JSON.stringify(outcome.error)}`,
            );
        }
        summary.events += batch.length;
        summary.orders += batch.filter((p) => p.event.type === 'order.paid').length;
      }
      await runDueJobs(ctx);

      // The bank's answer to the last run's files.
      if (pendingResults && pendingResults.day === day) {
        await importResults(ctx, pendingResults.lines.join('\n'));
        pendingResults = undefined;
      }
      // The refused affiliate gives a new account in time for the next run.
      if (refusedAffiliate && new Date(dayEnd).getUTCDate() === 5) {
        await setBankAccount(ctx, refusedAffiliate.id, {
          iban: 'DE75 5121 0800 1245 1261 99',
          holderName: refusedAffiliate.name,
          country: 'DE',
        });
        refusedAffiliate = undefined;
      }
      const run = await runPayoutIfDue(ctx);
      if (run && run.paid > 0) {
        summary.payoutRuns += 1;
        summary.withdrawals += run.paid;
        const lines = ['end_to_end_id,status,reason_code,reason_text,date'];
        const date = new Date(dayEnd + 2 * DAY_MS).toISOString().slice(0, 10);
        for (const format of ['sepa', 'csv'] as const)
          await exportBatch(ctx, {
            format,
            file: path.join(files, `${run.period}.${format === 'sepa' ? 'xml' : 'csv'}`),
          });
        for (const withdrawal of await processingWithdrawals(ctx)) {
          const refuse =
            summary.failedTransfers === 0 &&
            withdrawal.rail !== 'manual' &&
            withdrawal.affiliateId !== options.keepPaid;
          if (refuse) {
            summary.failedTransfers += 1;
            refusedAffiliate = options.affiliates.find((a) => a.id === withdrawal.affiliateId);
            lines.push(`${withdrawal.id},rejected,AC04,Account closed,${date}`);
          } else lines.push(`${withdrawal.id},accepted,,,${date}`);
        }
        pendingResults = { day: day + 2, lines };
      }
      options.onDay?.(day + 1, options.days + 1);
    }
  } finally {
    fs.rmSync(files, { recursive: true, force: true });
  }
  return summary;
}

/** Every withdrawal still with the bank: what its results file answers. */
async function processingWithdrawals(ctx: Ctx): Promise<Withdrawal[]> {
  const found: Withdrawal[] = [];
  let after = '';
  for (;;) {
    const page = await withdrawalsAfter(ctx.db, after, 1000);
    found.push(...page.filter((w) => w.state === 'processing'));
    if (page.length < 1000) return found;
    after = (page.at(-1) as Withdrawal).id;
  }
}
