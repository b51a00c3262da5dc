/** The fraud signals an order can raise (src/fraud/judge-signals.ts judges them at payment). */
export const FRAUD_SIGNALS = [
  'click_injection',
  'click_flood',
  'cookie_stuffing',
  'refund_rate',
  'self_purchase',
] as const;
export type FraudSignal = (typeof FRAUD_SIGNALS)[number];

export function isFraudSignal(value: string): value is FraudSignal {
  return (FRAUD_SIGNALS as readonly string[]).includes(value);
}

/**
 * Each signal in plain words, as the affiliate and the operator read it next to the
 * flag's reason. They name what was seen, not the program's thresholds.
 */
export const SIGNAL_WORDS: Record<FraudSignal, string> = {
  click_injection: 'Paid moments after the click',
  click_flood: 'Many clicks from one visitor',
  cookie_stuffing: 'A burst of clicks without a referrer',
  refund_rate: 'An unusual share of refunded orders',
  self_purchase: "A purchase from the affiliate's own buyer account",
};

/** A signal raised by an order, with its reason in words and figures. */
export type RaisedSignal = { signal: FraudSignal; reason: string };

/** Who resolves a flag that a rule decides at once (a self-purchase). */
export const RULE = 'rule';
