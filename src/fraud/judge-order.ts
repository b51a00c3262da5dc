import { burstWindow, type SignalClick, visitorWindow } from './click-windows.js';
import {
  judgeClickFlood,
  judgeClickInjection,
  judgeCookieStuffing,
  judgeRefundRate,
  type SignalRules,
} from './judge-signals.js';
import type { SignalReads } from './signal-reads.js';
import type { RaisedSignal } from './signals.js';

/**
 * The fraud signals an attributed payment raises (click injection, click flood, cookie
 * stuffing, an abnormal refund rate), judged by the settings in force at payment; each
 * with its reason in words and figures. A signal turned off (0) reads nothing.
 */
export async function judgeOrder(
  click: SignalClick,
  paidAt: Date,
  rules: SignalRules,
  reads: SignalReads,
): Promise<RaisedSignal[]> {
  const raised: (RaisedSignal | undefined)[] = [
    judgeClickInjection(paidAt, new Date(click.clickedAt), rules),
  ];
  if (rules.fraudClickFloodPerVisitor > 0)
    raised.push(judgeClickFlood(await reads.visitorClicks(visitorWindow(click, paidAt)), rules));
  const burst = rules.fraudCookieStuffingClicks > 0 ? burstWindow(click, rules) : undefined;
  if (burst) raised.push(judgeCookieStuffing(await reads.burst(burst), rules));
  if (rules.fraudRefundRateBp > 0)
    raised.push(
      judgeRefundRate(
        await reads.refunds(click.affiliateId, paidAt, rules.fraudRefundRateDays),
        rules,
      ),
    );
  return raised.filter((r): r is RaisedSignal => r !== undefined);
}
