import { sql } from 'kysely';
import type { Db, LedgerAccountKind } from '../db/types.js';

/**
 * What the accounts of one owner and kind were debited, summed per reference and currency,
 * for transfers of one code (e.g. the clawbacks of an affiliate's sub-orders). Read through
 * the accounts of the owner: a few index ranges, not the whole ledger.
 */
export async function debitSumsByRef(
  db: Db,
  query: { ownerId: string; kind: LedgerAccountKind; code: string },
): Promise<{ ref: string; currency: string; amountMinor: bigint }[]> {
  const rows = await db
    .selectFrom('ledger_transfers as t')
    .innerJoin('ledger_accounts as a', 'a.id', 't.debit_account_id')
    .select([
      't.ref',
      't.currency',
      sql<bigint>`cast(sum(t.amount_minor) as bigint)`.as('amount_minor'),
    ])
    .where('a.owner_id', '=', query.ownerId)
    .where('a.kind', '=', query.kind)
    .where('t.code', '=', query.code)
    .where('t.ref', 'is not', null)
    .groupBy(['t.ref', 't.currency'])
    .orderBy('t.ref')
    .execute();
  return rows.map((r) => ({
    ref: r.ref as string,
    currency: r.currency,
    amountMinor: BigInt(r.amount_minor),
  }));
}
