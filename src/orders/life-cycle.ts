import { DAY_MS } from '../clock.js';

/** What is known of a sub-order, from all of its order's events (in any arrival order). */
export type SubOrderFacts = {
  paidAt: Date;
  paidMinor: bigint;
  shippedAt: Date | undefined;
  /** The buyer-protection days of the shipping method; undefined until shipped. */
  protectionDays: number | undefined;
  /** An explicit receipt confirmation by the buyer. */
  confirmedAt: Date | undefined;
  disputes: { openedAt: Date | undefined; closedAt: Date | undefined }[];
  refundedMinor: bigint;
  cancelled: boolean;
  settledAt: Date | undefined;
  /** A fraud flag on it is open (src/fraud/): settlement waits for the operator's review. */
  heldForReview: boolean;
  /** The operator invalidated it on a fraud flag: that flag's reason. */
  fraudReason: string | undefined;
};

/** The facts of a sub-order when only its payment is known. */
export function factsAtPayment(paidAt: Date, paidMinor: bigint): SubOrderFacts {
  return {
    paidAt,
    paidMinor,
    shippedAt: undefined,
    protectionDays: undefined,
    confirmedAt: undefined,
    disputes: [],
    refundedMinor: 0n,
    cancelled: false,
    settledAt: undefined,
    heldForReview: false,
    fraudReason: undefined,
  };
}

/** The reasons a sub-order becomes Invalid by its own events (the refund-rate signal counts them). */
export const INVALID_REASONS = {
  cancelled: 'the order was cancelled',
  refunded: 'the sub-order was refunded in full',
} as const;

export type LifeCycleRules = { settlementDelayDays: number; invalidAfterDays: number };

export type SubOrderDecision =
  | { status: 'completed_settlement' }
  | { status: 'invalid'; reason: string }
  /** Due: the commission is to be posted now (only the settlement job acts on it). */
  | { status: 'settle'; confirmedAt: Date }
  | { status: 'buyer_confirmed_receipt'; confirmedAt: Date; dueAt: Date }
  | { status: 'payment_completed'; dueAt: Date };

const at = (ms: number) => new Date(ms);

/**
 * The life cycle of PRODUCT.md as a function of the facts and the time: Payment Completed
 * → Buyer Confirmed Receipt (by the buyer, or at the end of protection with no dispute
 * open; a dispute pauses the clock for as long as it lasted) → Completed Settlement after
 * the settlement delay; Invalid on cancellation, a refund in full, the operator's fraud
 * decision, or no settlement `invalidAfterDays` after payment. While held for fraud review
 * it goes on to Buyer Confirmed Receipt but does not settle. Pure: the same facts give the same answer, whatever
 * order the events that carried them came in.
 */
export function decideSubOrder(
  facts: SubOrderFacts,
  rules: LifeCycleRules,
  now: Date,
): SubOrderDecision {
  if (facts.settledAt) return { status: 'completed_settlement' };
  if (facts.cancelled) return { status: 'invalid', reason: INVALID_REASONS.cancelled };
  // `> 0`: a sub-order given away for nothing has not been refunded.
  if (facts.refundedMinor > 0n && facts.refundedMinor >= facts.paidMinor)
    return { status: 'invalid', reason: INVALID_REASONS.refunded };
  if (facts.fraudReason !== undefined)
    return { status: 'invalid', reason: `fraud: ${facts.fraudReason}` };
  const expiresMs = facts.paidAt.getTime() + rules.invalidAfterDays * DAY_MS;
  const expired = {
    status: 'invalid' as const,
    reason: `not settled within ${rules.invalidAfterDays} days of payment`,
  };
  const disputeOpen = facts.disputes.some((d) => d.openedAt && !d.closedAt);
  const pausedMs = facts.disputes.reduce(
    (sum, d) =>
      d.openedAt && d.closedAt
        ? sum + Math.max(0, d.closedAt.getTime() - d.openedAt.getTime())
        : sum,
    0,
  );
  const protectionEndMs =
    facts.shippedAt && facts.protectionDays !== undefined
      ? facts.shippedAt.getTime() + facts.protectionDays * DAY_MS + pausedMs
      : undefined;
  const confirmedMs = facts.confirmedAt?.getTime() ?? (disputeOpen ? undefined : protectionEndMs);
  const nowMs = now.getTime();

  if (confirmedMs === undefined || confirmedMs > nowMs) {
    if (expiresMs <= nowMs) return expired;
    const next = confirmedMs !== undefined ? Math.min(confirmedMs, expiresMs) : expiresMs;
    return { status: 'payment_completed', dueAt: at(next) };
  }
  const settleMs = confirmedMs + rules.settlementDelayDays * DAY_MS;
  // A dispute, or a hold for fraud review, keeps it from settling; the expiry still applies.
  const blocked = disputeOpen || facts.heldForReview;
  // Whichever comes first wins: settlement due before the expiry, or the expiry.
  if (!blocked && settleMs <= nowMs && settleMs < expiresMs)
    return { status: 'settle', confirmedAt: at(confirmedMs) };
  if (expiresMs <= nowMs) return expired;
  return {
    status: 'buyer_confirmed_receipt',
    confirmedAt: at(confirmedMs),
    dueAt: at(blocked ? expiresMs : Math.min(settleMs, expiresMs)),
  };
}
