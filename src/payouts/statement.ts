import { getAffiliate } from '../affiliates/queries.js';
import type { Ctx } from '../context.js';
import { accountStatement, type StatementEntry } from '../ledger/account-statement.js';
import { getSettings } from '../settings/get-settings.js';
import { affiliateAccountId } from './check-withdrawal.js';

export type { StatementEntry };

/**
 * Every ledger movement of the affiliate, oldest first, with its explanation and its effect
 * on each balance; pages of `limit` after the cursor (the last entry id of a page).
 */
export async function getStatement(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  affiliateId: string,
  page: { afterId?: string | undefined; limit: number },
): Promise<{ currency: string; entries: StatementEntry[]; nextCursor: string | null }> {
  await getAffiliate(ctx.db, affiliateId);
  const { settlementCurrency: currency } = await getSettings(ctx.db, ctx.clock.now());
  const entries = await accountStatement(ctx.db, affiliateAccountId(affiliateId, currency), page);
  const last = entries.at(-1);
  return { currency, entries, nextCursor: entries.length === page.limit && last ? last.id : null };
}
