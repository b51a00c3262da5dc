import type { Db } from '../db/types.js';
import type { LedgerAccountKind } from './schema.js';

export type KindTotals = {
  kind: LedgerAccountKind;
  currency: string;
  accounts: number;
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
};

/**
 * The cached sums of every account, added up per account kind and currency: what the
 * affiliates hold, what the program's commission expense and fees come to. These are the
 * cached balances; `auditLedger` says whether they equal the transfers.
 */
export async function ledgerTotals(db: Db): Promise<KindTotals[]> {
  const rows = await db
    .selectFrom('ledger_accounts as a')
    .leftJoin('ledger_balances as b', 'b.account_id', 'a.id')
    .select((eb) => [
      'a.kind',
      'a.currency',
      eb.fn.countAll<string>().as('accounts'),
      eb.fn.coalesce(eb.fn.sum<bigint>('b.debits_posted'), eb.val(0n)).as('debits_posted'),
      eb.fn.coalesce(eb.fn.sum<bigint>('b.credits_posted'), eb.val(0n)).as('credits_posted'),
      eb.fn.coalesce(eb.fn.sum<bigint>('b.debits_pending'), eb.val(0n)).as('debits_pending'),
      eb.fn.coalesce(eb.fn.sum<bigint>('b.credits_pending'), eb.val(0n)).as('credits_pending'),
    ])
    .groupBy(['a.kind', 'a.currency'])
    .orderBy('a.kind')
    .orderBy('a.currency')
    .execute();
  return rows.map((r) => ({
    kind: r.kind,
    currency: r.currency,
    accounts: Number(r.accounts),
    debitsPosted: BigInt(r.debits_posted),
    creditsPosted: BigInt(r.credits_posted),
    debitsPending: BigInt(r.debits_pending),
    creditsPending: BigInt(r.credits_pending),
  }));
}
