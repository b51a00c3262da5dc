import type { ProgramSettings } from '../settings/schema.js';
import type { RaisedSignal } from './signals.js';

/** The settings the signals are judged by (those in force at payment). */
export type SignalRules = Pick<
  ProgramSettings,
  | 'fraudClickInjectionSeconds'
  | 'fraudClickFloodPerVisitor'
  | 'fraudCookieStuffingClicks'
  | 'fraudCookieStuffingVisitors'
  | 'fraudCookieStuffingWindowSeconds'
  | 'fraudRefundRateBp'
  | 'fraudRefundRateMinOrders'
  | 'fraudRefundRateDays'
>;

/**
 * A burst of clicks without a referrer: how many, from how many visitors; `atLeast` when
 * the read stopped once the counts reached the signal's thresholds (there may be more).
 */
export type Burst = { clicks: number; visitors: number; atLeast?: boolean };
/** The affiliate's sub-orders paid in the refund window, and how many were refunded in full or cancelled. */
export type RefundStats = { subOrders: number; refunded: number };

/** Click injection: a payment less than `fraudClickInjectionSeconds` after its click. */
export function judgeClickInjection(
  paidAt: Date,
  clickedAt: Date,
  rules: Pick<SignalRules, 'fraudClickInjectionSeconds'>,
): RaisedSignal | undefined {
  const ageMs = paidAt.getTime() - clickedAt.getTime();
  if (ageMs >= rules.fraudClickInjectionSeconds * 1000) return undefined;
  return {
    signal: 'click_injection',
    // Tenths of a second rounded down: 9.99 s reads 9.9, never the threshold itself.
    reason: `the order was paid ${(Math.floor(Math.max(0, ageMs) / 100) / 10).toFixed(1)} s after its click`,
  };
}

/** Click flood: `fraudClickFloodPerVisitor` or more clicks from the click's visitor in the 24 h before payment. */
export function judgeClickFlood(
  visitorClicks: number,
  rules: Pick<SignalRules, 'fraudClickFloodPerVisitor'>,
): RaisedSignal | undefined {
  const threshold = rules.fraudClickFloodPerVisitor;
  if (threshold === 0 || visitorClicks < threshold) return undefined;
  return {
    signal: 'click_flood',
    reason: `${visitorClicks} clicks from one visitor on the affiliate's links in the 24 h before the order`,
  };
}

/**
 * Cookie stuffing: the click came without a referrer, in a burst of at least
 * `fraudCookieStuffingClicks` such clicks from at least `fraudCookieStuffingVisitors`
 * visitors around it. `burst` is undefined when the click carried a referrer.
 */
export function judgeCookieStuffing(
  burst: Burst | undefined,
  rules: Pick<
    SignalRules,
    'fraudCookieStuffingClicks' | 'fraudCookieStuffingVisitors' | 'fraudCookieStuffingWindowSeconds'
  >,
): RaisedSignal | undefined {
  if (!burst || rules.fraudCookieStuffingClicks === 0) return undefined;
  if (burst.clicks < rules.fraudCookieStuffingClicks) return undefined;
  if (burst.visitors < rules.fraudCookieStuffingVisitors) return undefined;
  return {
    signal: 'cookie_stuffing',
    reason: `the order's click came without a referrer, among ${burst.atLeast ? 'at least ' : ''}${burst.clicks} such clicks on the affiliate's links from ${burst.atLeast ? 'at least ' : ''}${burst.visitors} visitors within ${minutes(rules.fraudCookieStuffingWindowSeconds)} around it`,
  };
}

/** Abnormal refund rate: `fraudRefundRateBp` or more of at least `fraudRefundRateMinOrders` sub-orders. */
export function judgeRefundRate(
  stats: RefundStats,
  rules: Pick<
    SignalRules,
    'fraudRefundRateBp' | 'fraudRefundRateMinOrders' | 'fraudRefundRateDays'
  >,
): RaisedSignal | undefined {
  const rateBp = rules.fraudRefundRateBp;
  if (rateBp === 0 || stats.subOrders === 0 || stats.subOrders < rules.fraudRefundRateMinOrders)
    return undefined;
  // Integers only: refunded / subOrders >= rateBp / 10,000.
  if (BigInt(stats.refunded) * 10_000n < BigInt(rateBp) * BigInt(stats.subOrders)) return undefined;
  const percent = ((stats.refunded * 100) / stats.subOrders).toFixed(1);
  return {
    signal: 'refund_rate',
    reason: `${stats.refunded} of the affiliate's ${stats.subOrders} sub-orders paid in the last ${rules.fraudRefundRateDays} days were refunded in full or cancelled (${percent}%)`,
  };
}

function minutes(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} minutes` : `${seconds} s`;
}
