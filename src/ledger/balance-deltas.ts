import type { Db } from '../db/types.js';
import type { AccountBalance } from './schema.js';

/** Changes to the cached sums, per account, summed over many transfers. */
export type BalanceDeltas = Map<string, AccountBalance>;

/** One update per account touched, in account order (so concurrent writers lock in one order). */
export async function applyBalanceDeltas(db: Db, deltas: BalanceDeltas): Promise<void> {
  for (const accountId of [...deltas.keys()].sort()) {
    const d = deltas.get(accountId) as AccountBalance;
    if (
      d.debitsPending === 0n &&
      d.creditsPending === 0n &&
      d.debitsPosted === 0n &&
      d.creditsPosted === 0n
    )
      continue;
    await db
      .updateTable('ledger_balances')
      .set((eb) => ({
        debits_pending: eb('debits_pending', '+', d.debitsPending),
        credits_pending: eb('credits_pending', '+', d.creditsPending),
        debits_posted: eb('debits_posted', '+', d.debitsPosted),
        credits_posted: eb('credits_posted', '+', d.creditsPosted),
      }))
      .where('account_id', '=', accountId)
      .execute();
  }
}

/** Adds one transfer's effect on an account to the running deltas. */
export function addDelta(
  deltas: BalanceDeltas,
  accountId: string,
  change: Partial<AccountBalance>,
): void {
  const d = deltas.get(accountId) ?? {
    debitsPending: 0n,
    creditsPending: 0n,
    debitsPosted: 0n,
    creditsPosted: 0n,
  };
  d.debitsPending += change.debitsPending ?? 0n;
  d.creditsPending += change.creditsPending ?? 0n;
  d.debitsPosted += change.debitsPosted ?? 0n;
  d.creditsPosted += change.creditsPosted ?? 0n;
  deltas.set(accountId, d);
}
