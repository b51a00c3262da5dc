import { describe, expect, it } from 'vitest';
import { currencyExponent } from './currencies.js';
import {
  addMoney,
  applyBasisPoints,
  convertMoney,
  formatBasisPoints,
  formatDecimal,
  formatMoney,
  money,
  parseDecimalAmount,
  parseFxRate,
  roundHalfAwayFromZero,
  subtractMoney,
} from './money.js';

describe('adding and subtracting', () => {
  it('keeps the currency and refuses to mix currencies', () => {
    expect(addMoney(money(150n, 'USD'), money(25n, 'USD'))).toEqual(money(175n, 'USD'));
    expect(subtractMoney(money(150n, 'USD'), money(200n, 'USD'))).toEqual(money(-50n, 'USD'));
    expect(() => addMoney(money(1n, 'USD'), money(1n, 'EUR'))).toThrow(/different currencies/);
    expect(() => subtractMoney(money(1n, 'USD'), money(1n, 'JPY'))).toThrow(/different currencies/);
  });
});

describe('roundHalfAwayFromZero', () => {
  it.each([
    [0n, 1n, 0n],
    [4n, 10n, 0n], // 0.4
    [5n, 10n, 1n], // 0.5 rounds up
    [15n, 10n, 2n], // 1.5
    [25n, 10n, 3n], // 2.5: away from zero, not to even
    [-5n, 10n, -1n], // -0.5 rounds away from zero
    [-4n, 10n, 0n],
    [-25n, 10n, -3n],
    [49_999n, 100_000n, 0n], // 0.49999 stays down
    [50_000n, 100_000n, 1n],
    [7n, 3n, 2n], // 2.333…
    [8n, 3n, 3n], // 2.666…
    [-8n, 3n, -3n],
    [2n ** 70n + 1n, 2n, 2n ** 69n + 1n], // beyond float precision, still exact
  ])('%s / %s → %s', (numerator, denominator, expected) => {
    expect(roundHalfAwayFromZero(numerator, denominator)).toBe(expected);
  });

  it('refuses a zero or negative denominator', () => {
    expect(() => roundHalfAwayFromZero(1n, 0n)).toThrow();
    expect(() => roundHalfAwayFromZero(1n, -2n)).toThrow();
  });
});

describe('applyBasisPoints', () => {
  it.each([
    [1999n, 700, 140n], // 139.93 → 140
    [1999n, 250, 50n], // 49.975 → 50
    [10n, 350, 0n], // 0.35 → 0
    [15n, 1000, 2n], // 1.5 → 2
    [333n, 290, 10n], // 2.9 % of 3.33 = 9.657 → 10 (Dub once lost this cent to float 2.9/100)
    [100_000n, 5000, 50_000n],
    [-1999n, 700, -140n], // a correction rounds symmetrically
  ])('%s × %s bp → %s', (amount, rateBp, expected) => {
    expect(applyBasisPoints(money(amount, 'USD'), rateBp).amountMinor).toBe(expected);
  });

  it('rejects a fractional rate', () => {
    expect(() => applyBasisPoints(money(100n, 'USD'), 7.5)).toThrow(/integer basis points/);
  });
});

describe('currencies', () => {
  it.each([
    ['JPY', 0],
    ['USD', 2],
    ['EUR', 2],
    ['KWD', 3],
    ['CLF', 4],
  ])('%s has exponent %s', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });

  it('rejects an unknown currency', () => {
    expect(() => currencyExponent('XXX1')).toThrow(/unknown currency/);
    expect(() => money(1n, 'ABC')).toThrow(/unknown currency/);
  });
});

describe('convertMoney', () => {
  it('converts between exponents exactly', () => {
    // 1 000 JPY at 0.0067 USD per yen = 6.70 USD
    expect(convertMoney(money(1000n, 'JPY'), parseFxRate('JPY', 'USD', '0.0067'))).toEqual(
      money(670n, 'USD'),
    );
    // 12.345 KWD at 3.25 USD per dinar = 40.12125 → 40.12 USD
    expect(convertMoney(money(12_345n, 'KWD'), parseFxRate('KWD', 'USD', '3.25'))).toEqual(
      money(4012n, 'USD'),
    );
    // 10.01 EUR at 1.05 = 10.5105 → 10.51 USD
    expect(convertMoney(money(1001n, 'EUR'), parseFxRate('EUR', 'USD', '1.05')).amountMinor).toBe(
      1051n,
    );
    // 1.00 USD at 151.5 yen = 151.5 → 152 JPY
    expect(convertMoney(money(100n, 'USD'), parseFxRate('USD', 'JPY', '151.5')).amountMinor).toBe(
      152n,
    );
  });

  it('refuses malformed or zero rates', () => {
    for (const bad of ['', '0', '0.000', '-1', '1e3', '1,5', 'abc', '1.1234567890123']) {
      expect(() => parseFxRate('EUR', 'USD', bad), bad).toThrow();
    }
  });
});

describe('formatting', () => {
  it.each([
    [money(123_450n, 'USD'), '1234.50 USD'],
    [money(5n, 'USD'), '0.05 USD'],
    [money(-5n, 'USD'), '-0.05 USD'],
    [money(1500n, 'JPY'), '1500 JPY'],
    [money(1n, 'KWD'), '0.001 KWD'],
  ])('%o → %s', (amount, text) => {
    expect(formatMoney(amount)).toBe(text);
  });

  it('prints basis points as a percentage', () => {
    expect(formatBasisPoints(700)).toBe('7.00%');
    expect(formatBasisPoints(725)).toBe('7.25%');
    expect(formatBasisPoints(5)).toBe('0.05%');
    expect(formatBasisPoints(5000)).toBe('50.00%');
  });
});

describe('formatDecimal', () => {
  it.each([
    [0n, 'USD', '0.00'],
    [1n, 'USD', '0.01'],
    [99n, 'USD', '0.99'],
    [100n, 'USD', '1.00'],
    [123_456_789_012_345_678n, 'USD', '1234567890123456.78'],
    [0n, 'JPY', '0'],
    [1234n, 'JPY', '1234'],
    [1n, 'KWD', '0.001'],
    [1_234_567n, 'BHD', '1234.567'],
    [-1234n, 'EUR', '-12.34'],
  ])('%s %s → %s', (amountMinor, currency, expected) => {
    expect(formatDecimal(amountMinor, currency)).toBe(expected);
  });

  it('refuses an unknown currency rather than guessing its decimals', () => {
    expect(() => formatDecimal(1n, 'XYZ')).toThrow(/unknown currency/);
  });
});

describe('parseDecimalAmount', () => {
  it.each([
    ['12.50', 'EUR', 1250n],
    ['12', 'EUR', 1200n],
    ['0.05', 'USD', 5n],
    ['1,500.00', 'USD', 150000n],
    [' 7.5 ', 'EUR', 750n],
    ['1500', 'JPY', 1500n],
    ['12.345', 'EUR', undefined],
    ['1.5', 'JPY', undefined],
    ['-3', 'EUR', undefined],
    ['1e3', 'EUR', undefined],
    ['', 'EUR', undefined],
    ['12,5', 'EUR', undefined],
  ])('%s %s → %s', (text, currency, minor) => {
    expect(parseDecimalAmount(text, currency)).toBe(minor);
  });
});
