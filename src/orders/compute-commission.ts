import {
  applyBasisPoints,
  convertMoney,
  type FxRate,
  formatBasisPoints,
  formatMoney,
  type Money,
} from '../money.js';

export type CommissionInput = {
  paid: Money;
  rateBp: number;
  /** The rule behind the rate, in words (from rateFor). */
  rule: string;
  /** Extra basis points for a new buyer (0 when not a new buyer or no bonus is set). */
  newBuyerBonusBp: number;
  fx: FxRate & { text: string };
};

export type Commission = {
  rateBp: number;
  commission: Money;
  settlement: Money;
  explanation: string[];
};

/**
 * A sub-order's commission: the paid amount times the rate (plus any new-buyer bonus),
 * rounded once in the order's currency, then converted at the stored rate and rounded once
 * more. Every step is written down for the affiliate to check by hand.
 */
export function computeCommission(input: CommissionInput): Commission {
  const bonusBp = input.rateBp > 0 ? input.newBuyerBonusBp : 0;
  const rateBp = input.rateBp + bonusBp;
  const commission = applyBasisPoints(input.paid, rateBp);
  const settlement = convertMoney(commission, input.fx);
  const explanation = [
    `base: ${formatMoney(input.paid)} paid for the items (shipping and taxes excluded)`,
    `rate: ${formatBasisPoints(input.rateBp)} (${input.rule})`,
    ...(bonusBp > 0 ? [`new-buyer bonus: +${formatBasisPoints(bonusBp)}`] : []),
    `commission: ${formatMoney(input.paid)} × ${formatBasisPoints(rateBp)} = ${formatMoney(commission)} (rounded half away from zero)`,
    ...(input.fx.from === input.fx.to
      ? []
      : [
          `conversion: ${formatMoney(commission)} × ${input.fx.text} ${input.fx.to}/${input.fx.from} = ${formatMoney(settlement)} (rate stored at payment)`,
        ]),
  ];
  return { rateBp, commission, settlement, explanation };
}
