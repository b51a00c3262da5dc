import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';

export type FxRateInForce = { currency: string; rate: string; effectiveAt: string };

/**
 * The rate of every currency into `toCurrency` in force at `at` (the same rule as
 * `fxRateAt`: the latest effective at or before it, of two at one time the one recorded
 * last), in currency order.
 */
export async function fxRatesInForce(
  db: Db,
  toCurrency: string,
  at: Date,
): Promise<FxRateInForce[]> {
  const now = toDbTime(at);
  const rows = await db
    .selectFrom('fx_rates as f')
    .select(['f.currency', 'f.rate', 'f.effective_at'])
    .where('f.to_currency', '=', toCurrency)
    .where('f.id', '=', (eb) =>
      eb
        .selectFrom('fx_rates as g')
        .select('g.id')
        .whereRef('g.currency', '=', 'f.currency')
        .where('g.to_currency', '=', toCurrency)
        .where('g.effective_at', '<=', now)
        .orderBy('g.effective_at', 'desc')
        .orderBy('g.id', 'desc')
        .limit(1),
    )
    .orderBy('f.currency')
    .limit(500)
    .execute();
  return rows.map((r) => ({ currency: r.currency, rate: r.rate, effectiveAt: r.effective_at }));
}
