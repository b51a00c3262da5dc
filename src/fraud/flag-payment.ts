import type { Clock } from '../clock.js';
import type { SignalClick } from './click-windows.js';
import { flagsFor, type NewFlag } from './flags.js';
import { judgeOrder } from './judge-order.js';
import type { SignalRules } from './judge-signals.js';
import type { SignalReads } from './signal-reads.js';

/**
 * The flags an order.paid raises: none when no affiliate earns on it; for a self-purchase
 * (Invalid already) one flag decided at once by the rule, so the operator sees it among
 * the flags; otherwise one per fraud signal raised, open: the commission is held for review.
 */
export async function flagPayment(
  clock: Clock,
  payment: {
    orderId: string;
    buyerId: string;
    paidAt: Date;
    affiliateId: string | null;
    selfPurchase: boolean;
    click: SignalClick | undefined;
  },
  rules: SignalRules,
  reads: SignalReads,
): Promise<NewFlag[]> {
  const { affiliateId, click } = payment;
  if (!affiliateId || !click) return [];
  const order = { orderId: payment.orderId, affiliateId };
  if (payment.selfPurchase)
    return flagsFor(
      clock,
      order,
      [
        {
          signal: 'self_purchase',
          reason: `buyer ${payment.buyerId} is the affiliate's own account`,
        },
      ],
      { note: 'a self-purchase earns nothing' },
    );
  return flagsFor(clock, order, await judgeOrder(click, payment.paidAt, rules, reads));
}
