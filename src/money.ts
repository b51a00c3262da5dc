import assert from 'node:assert/strict';
import { currencyExponent, isCurrencyCode } from './currencies.js';

/** An amount in minor units (cents) of an ISO 4217 currency. Never a float. */
export type Money = Readonly<{ amountMinor: bigint; currency: string }>;

/** 10 000 basis points = 100 %. */
export const BP_PER_UNIT = 10_000n;

export function money(amountMinor: bigint, currency: string): Money {
  assert.ok(isCurrencyCode(currency), `unknown currency ${currency}`);
  return Object.freeze({ amountMinor, currency });
}

export function addMoney(a: Money, b: Money): Money {
  assert.equal(a.currency, b.currency, 'adding amounts in different currencies');
  return money(a.amountMinor + b.amountMinor, a.currency);
}

export function subtractMoney(a: Money, b: Money): Money {
  assert.equal(a.currency, b.currency, 'subtracting amounts in different currencies');
  return money(a.amountMinor - b.amountMinor, a.currency);
}

/**
 * The one rounding rule of affnet: numerator / denominator rounded half away from zero
 * (0.5 → 1, −0.5 → −1, 2.5 → 3), as a person with a spreadsheet's ROUND() would expect.
 * Chosen over half-even because each commission is checked by hand by the affiliate who
 * earned it; the bias it adds to a sum is at most half a cent per line, and the ledger
 * books the rounded cents, so totals stay exact.
 */
export function roundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  assert.ok(denominator > 0n, 'denominator must be positive');
  const quotient = numerator / denominator; // truncates toward zero
  const remainder = numerator % denominator;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice < denominator) return quotient;
  return numerator < 0n ? quotient - 1n : quotient + 1n;
}

/** amount × rate, rounded by the one rule. `rateBp` is an integer number of basis points. */
export function applyBasisPoints(amount: Money, rateBp: number): Money {
  assert.ok(Number.isSafeInteger(rateBp), `rate must be integer basis points, got ${rateBp}`);
  return money(
    roundHalfAwayFromZero(amount.amountMinor * BigInt(rateBp), BP_PER_UNIT),
    amount.currency,
  );
}

/** An exchange rate held exactly as a fraction: `numerator / denominator` units of `to` per unit of `from`. */
export type FxRate = Readonly<{ from: string; to: string; numerator: bigint; denominator: bigint }>;

/** Parses a decimal rate such as "0.9217" exactly (no float on the way). */
export function parseFxRate(from: string, to: string, decimal: string): FxRate {
  const match = /^(\d{1,12})(?:\.(\d{1,12}))?$/.exec(decimal);
  if (!match) throw new RangeError(`exchange rate must be a positive decimal, got ${decimal}`);
  const fraction = match[2] ?? '';
  const numerator = BigInt(`${match[1]}${fraction}`);
  if (numerator === 0n) throw new RangeError('exchange rate must be above zero');
  return Object.freeze({ from, to, numerator, denominator: 10n ** BigInt(fraction.length) });
}

/** Converts between currencies of any exponents, rounding once by the one rule. */
export function convertMoney(amount: Money, rate: FxRate): Money {
  assert.equal(amount.currency, rate.from, 'exchange rate is for another currency');
  const shift = currencyExponent(rate.to) - currencyExponent(rate.from);
  const scale = 10n ** BigInt(Math.abs(shift));
  const numerator = amount.amountMinor * rate.numerator * (shift > 0 ? scale : 1n);
  const denominator = rate.denominator * (shift < 0 ? scale : 1n);
  return money(roundHalfAwayFromZero(numerator, denominator), rate.to);
}

/** "1234.50 USD", "1500 JPY": exact decimal text for explanations and CLI output. */
export function formatMoney(amount: Money): string {
  return `${formatDecimal(amount.amountMinor, amount.currency)} ${amount.currency}`;
}

/** Minor units as decimal text, as banks expect it: 1234n USD → '12.34', 1234n JPY → '1234'. */
export function formatDecimal(amountMinor: bigint, currency: string): string {
  const exponent = currencyExponent(currency);
  const sign = amountMinor < 0n ? '-' : '';
  const abs = amountMinor < 0n ? -amountMinor : amountMinor;
  if (exponent === 0) return `${sign}${abs}`;
  const unit = 10n ** BigInt(exponent);
  const fraction = (abs % unit).toString().padStart(exponent, '0');
  return `${sign}${abs / unit}.${fraction}`;
}

/** 725 → "7.25%". */
export function formatBasisPoints(rateBp: number): string {
  const sign = rateBp < 0 ? '-' : '';
  const abs = Math.abs(rateBp);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}%`;
}

/**
 * An amount a person typed ("12.50", "12", "1,500.00") as minor units of `currency`, or
 * undefined when it is not one: more decimals than the currency has, signs, letters.
 */
export function parseDecimalAmount(text: string, currency: string): bigint | undefined {
  const exponent = currencyExponent(currency);
  const match = /^(\d{1,15})(?:\.(\d+))?$/.exec(text.trim().replace(/,(?=\d{3}(\D|$))/g, ''));
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) return undefined;
  return (
    BigInt(match[1] as string) * 10n ** BigInt(exponent) +
    BigInt(fraction.padEnd(exponent, '0') || '0')
  );
}
