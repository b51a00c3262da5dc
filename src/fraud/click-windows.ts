import { DAY_MS } from '../clock.js';
import { toDbTime } from '../db/time.js';
import type { SignalRules } from './judge-signals.js';

/** What the click signals need of the attributed click. */
export type SignalClick = {
  affiliateId: string;
  clickedAt: string;
  ipHash: string;
  hasReferrer: boolean;
};

/** The affiliate's clicks from one visitor (IP hash) between two stored times. */
export type VisitorWindow = { affiliateId: string; ipHash: string; from: string; to: string };
/**
 * The affiliate's clicks without a referrer between two stored times, and the counts that
 * decide (the signal's thresholds): a read may stop once it has seen that many clicks from
 * that many visitors.
 */
export type BurstWindow = {
  affiliateId: string;
  from: string;
  to: string;
  enoughClicks: number;
  enoughVisitors: number;
};

/** Click flood: the click's visitor on the affiliate's links, the 24 h before payment. */
export function visitorWindow(click: SignalClick, paidAt: Date): VisitorWindow {
  return {
    affiliateId: click.affiliateId,
    ipHash: click.ipHash,
    from: toDbTime(new Date(paidAt.getTime() - DAY_MS)),
    to: toDbTime(paidAt),
  };
}

/** Cookie stuffing: the window centred on a click without a referrer; none for a click with one. */
export function burstWindow(
  click: SignalClick,
  rules: Pick<
    SignalRules,
    'fraudCookieStuffingWindowSeconds' | 'fraudCookieStuffingClicks' | 'fraudCookieStuffingVisitors'
  >,
): BurstWindow | undefined {
  if (click.hasReferrer) return undefined;
  const at = Date.parse(click.clickedAt);
  const halfMs = (rules.fraudCookieStuffingWindowSeconds * 1000) / 2;
  return {
    affiliateId: click.affiliateId,
    from: toDbTime(new Date(at - halfMs)),
    to: toDbTime(new Date(at + halfMs)),
    enoughClicks: rules.fraudCookieStuffingClicks,
    enoughVisitors: rules.fraudCookieStuffingVisitors,
  };
}

export function visitorKey(w: VisitorWindow): string {
  return `${w.affiliateId} ${w.ipHash} ${w.from} ${w.to}`;
}

export function burstKey(w: BurstWindow): string {
  return `${w.affiliateId} ${w.from} ${w.to} ${w.enoughClicks} ${w.enoughVisitors}`;
}
