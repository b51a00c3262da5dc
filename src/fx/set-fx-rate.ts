import type { Ctx } from '../context.js';
import { isCurrencyCode } from '../currencies.js';
import { toDbTime } from '../db/time.js';
import { AppError } from '../errors.js';
import { newId } from '../lib/ids.js';
import { parseFxRate } from '../money.js';
import { getSettings } from '../settings/get-settings.js';

/**
 * Records the rate of `currency` into the settlement currency from `effectiveAt` on. A
 * rate may be dated in the past (an order in a new currency waits for one); commissions
 * already booked keep the rate they were converted at.
 */
export async function setFxRate(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  input: { currency: string; rate: string; effectiveAt?: Date },
): Promise<{ currency: string; toCurrency: string; rate: string; effectiveAt: string }> {
  const currency = input.currency.toUpperCase();
  if (!isCurrencyCode(currency))
    throw new AppError('unknown_currency', `${input.currency} is not an ISO 4217 currency`);
  const now = ctx.clock.now();
  const { settlementCurrency } = await getSettings(ctx.db, now);
  if (currency === settlementCurrency)
    throw new AppError('invalid_fx_rate', `${currency} is the settlement currency itself`);
  try {
    parseFxRate(currency, settlementCurrency, input.rate);
  } catch (error) {
    throw new AppError('invalid_fx_rate', (error as Error).message);
  }
  const effectiveAt = toDbTime(input.effectiveAt ?? now);
  await ctx.db
    .insertInto('fx_rates')
    .values({
      id: newId('fx', ctx.clock),
      currency,
      to_currency: settlementCurrency,
      rate: input.rate,
      effective_at: effectiveAt,
      created_at: toDbTime(now),
    })
    .execute();
  return { currency, toCurrency: settlementCurrency, rate: input.rate, effectiveAt };
}
