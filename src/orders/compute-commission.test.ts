import { describe, expect, it } from 'vitest';
import { money, parseFxRate } from '../money.js';
import { computeCommission } from './compute-commission.js';

const usd = { ...parseFxRate('USD', 'USD', '1'), text: '1' };

describe('commission of a sub-order', () => {
  it.each([
    // paid minor, currency, rate bp, bonus bp, fx, commission minor, settlement minor (USD)
    [1999n, 'USD', 700, 0, '1', 140n, 140n], // 139.93 → 140
    [1000n, 'USD', 350, 0, '1', 35n, 35n],
    [1n, 'USD', 5000, 0, '1', 1n, 1n], // 0.5 cent rounds away from zero
    [1n, 'USD', 4999, 0, '1', 0n, 0n],
    [10_000n, 'USD', 700, 100, '1', 800n, 800n], // new-buyer bonus adds to the rate
    [10_000n, 'USD', 0, 100, '1', 0n, 0n], // not enrolled: no bonus either
    [12_345n, 'EUR', 1000, 0, '1.0850', 1235n, 1340n], // 1234.5 → 1235; 13.39975 → 13.40
    [5000n, 'JPY', 800, 0, '0.0067', 400n, 268n], // 400 JPY × 0.0067 = 2.68 USD
    [1000n, 'KWD', 1200, 0, '3.2500', 120n, 39n], // 0.120 KWD × 3.25 = 0.39 USD
  ] as const)(
    '%s %s at %s bp (+%s) and fx %s → %s, %s USD minor',
    (paid, currency, rateBp, bonusBp, fx, commission, settlement) => {
      const result = computeCommission({
        paid: money(paid, currency),
        rateBp,
        rule: 'store default',
        newBuyerBonusBp: bonusBp,
        fx: currency === 'USD' ? usd : { ...parseFxRate(currency, 'USD', fx), text: fx },
      });
      expect(result.commission).toEqual(money(commission, currency));
      expect(result.settlement).toEqual(money(settlement, 'USD'));
      expect(result.explanation.join('\n')).toMatch(/rounded half away from zero/);
    },
  );

  it('explains each step, with the conversion when the currencies differ', () => {
    const result = computeCommission({
      paid: money(12_345n, 'EUR'),
      rateBp: 1000,
      rule: 'category Lamps',
      newBuyerBonusBp: 50,
      fx: { ...parseFxRate('EUR', 'USD', '1.0850'), text: '1.0850' },
    });
    expect(result.explanation).toEqual([
      'base: 123.45 EUR paid for the items (shipping and taxes excluded)',
      'rate: 10.00% (category Lamps)',
      'new-buyer bonus: +0.50%',
      'commission: 123.45 EUR × 10.50% = 12.96 EUR (rounded half away from zero)',
      'conversion: 12.96 EUR × 1.0850 USD/EUR = 14.06 USD (rate stored at payment)',
    ]);
  });
});

describe('commission on a reduced base (settlement after refunds)', () => {
  it('gives the same cents as the full computation', async () => {
    const { commissionOn } = await import('./plan-order.js');
    for (const [base, currency, rateBp, fx] of [
      [12_345n, 'EUR', 1050, '1.0850'],
      [1n, 'USD', 5000, '1'],
      [5000n, 'JPY', 800, '0.0067'],
      [999n, 'KWD', 1200, '3.2500'],
    ] as const) {
      const full = computeCommission({
        paid: money(base, currency),
        rateBp,
        rule: 'x',
        newBuyerBonusBp: 0,
        fx: { ...parseFxRate(currency, 'USD', fx), text: fx },
      });
      expect(
        commissionOn(
          { currency, rate_bp: BigInt(rateBp), settlement_currency: 'USD', fx_rate: fx },
          base,
        ),
      ).toBe(full.settlement.amountMinor);
    }
  });
});
