import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import { type FxRate, parseFxRate } from '../money.js';

/**
 * The rate of `currency` into `toCurrency` in force at `at`: the latest one effective at or
 * before it (of two with the same time, the one recorded last). One to one for the same
 * currency; no rate is an error that names the currency and the time.
 */
export async function fxRateAt(
  db: Db,
  currency: string,
  toCurrency: string,
  at: Date,
): Promise<FxRate & { text: string }> {
  if (currency === toCurrency) return { ...parseFxRate(currency, toCurrency, '1'), text: '1' };
  const row = await db
    .selectFrom('fx_rates')
    .select('rate')
    .where('currency', '=', currency)
    .where('to_currency', '=', toCurrency)
    .where('effective_at', '<=', toDbTime(at))
    .orderBy('effective_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!row)
    throw new AppError(
      'no_fx_rate',
      `no ${currency}→${toCurrency} exchange rate in force at ${toDbTime(at)} (set one with affnet fx set)`,
    );
  return { ...parseFxRate(currency, toCurrency, row.rate), text: row.rate };
}
