import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';
import type { AccountRef } from './schema.js';

/** An account's id is its name: kind, owner and currency, so no lookup is needed to find it. */
export function accountId(account: AccountRef): string {
  return `${account.kind}:${account.ownerId}:${account.currency}`;
}

/** Opens the accounts that do not exist yet (with zero balances); a no-op for the others. */
export async function ensureAccounts(
  db: Db,
  accounts: readonly AccountRef[],
  at: Date,
): Promise<void> {
  const unique = [...new Map(accounts.map((a) => [accountId(a), a])).entries()];
  if (unique.length === 0) return;
  await db
    .insertInto('ledger_accounts')
    .values(
      unique.map(([id, a]) => ({
        id,
        kind: a.kind,
        owner_id: a.ownerId,
        currency: a.currency,
        created_at: toDbTime(at),
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  await db
    .insertInto('ledger_balances')
    .values(
      unique.map(([id]) => ({
        account_id: id,
        debits_pending: 0n,
        credits_pending: 0n,
        debits_posted: 0n,
        credits_posted: 0n,
      })),
    )
    .onConflict((oc) => oc.column('account_id').doNothing())
    .execute();
}
