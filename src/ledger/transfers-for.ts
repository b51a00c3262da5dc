import type { Db } from '../db/types.js';

/** The transfers booked for one reference (e.g. a sub-order), oldest first. */
export async function transfersFor(db: Db, ref: string) {
  const rows = await db
    .selectFrom('ledger_transfers')
    .select(['key', 'kind', 'code', 'amount_minor', 'currency', 'created_at'])
    .where('ref', '=', ref)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    key: r.key,
    kind: r.kind,
    code: r.code,
    amountMinor: r.amount_minor,
    currency: r.currency,
    createdAt: r.created_at,
  }));
}
