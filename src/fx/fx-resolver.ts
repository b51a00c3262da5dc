import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import { type FxRate, parseFxRate } from '../money.js';

export type FxResolver = {
  rateAt(currency: string, toCurrency: string, at: Date): Promise<FxRate & { text: string }>;
};

/**
 * `fxRateAt` for many lookups in one piece of work: each currency pair's history is read
 * once and the rate in force at each moment picked in memory (latest effective at or
 * before it; of two at the same time, the one recorded last).
 */
export function createFxResolver(db: Db): FxResolver {
  const histories = new Map<string, Promise<{ rate: string; effective_at: string }[]>>();
  return {
    async rateAt(currency, toCurrency, at) {
      if (currency === toCurrency) return { ...parseFxRate(currency, toCurrency, '1'), text: '1' };
      const pair = `${currency}>${toCurrency}`;
      let history = histories.get(pair);
      if (!history) {
        history = db
          .selectFrom('fx_rates')
          .select(['rate', 'effective_at'])
          .where('currency', '=', currency)
          .where('to_currency', '=', toCurrency)
          .orderBy('effective_at')
          .orderBy('id')
          .execute();
        histories.set(pair, history);
      }
      const iso = toDbTime(at);
      const rows = await history;
      let found: { rate: string } | undefined;
      for (const row of rows) if (row.effective_at <= iso) found = row;
      if (!found)
        throw new AppError(
          'no_fx_rate',
          `no ${currency}→${toCurrency} exchange rate in force at ${iso} (set one with affnet fx set)`,
        );
      return { ...parseFxRate(currency, toCurrency, found.rate), text: found.rate };
    },
  };
}
