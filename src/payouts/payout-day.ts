import type { Ctx } from '../context.js';
import { getSettings } from '../settings/get-settings.js';
import { type PayoutRunSummary, previousPeriod, runPayouts } from './run-payouts.js';

/**
 * The monthly run, when it is due: from the payout day of the month on (the 20th by
 * default), last month's balances are paid unless that run has finished. A run cut short
 * (a crash, a restart) is resumed by the next call.
 */
export async function runPayoutIfDue(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
): Promise<PayoutRunSummary | undefined> {
  const now = ctx.clock.now();
  const { payoutDayOfMonth } = await getSettings(ctx.db, now);
  if (now.getUTCDate() < payoutDayOfMonth) return undefined;
  const period = previousPeriod(now);
  const run = await ctx.db
    .selectFrom('payout_runs')
    .select('finished_at')
    .where('period', '=', period)
    .executeTakeFirst();
  if (run?.finished_at) return undefined;
  return runPayouts(ctx, period);
}
