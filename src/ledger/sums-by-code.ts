import type { Ctx } from '../context.js';
import { selectWhereIn } from '../db/select-where-in.js';

/**
 * What the ledger booked for these references (sub-orders, withdrawals), summed per
 * transfer code and currency: e.g. the commission booked as pending, what settlement
 * posted, what was voided and clawed back.
 */
export async function ledgerSumsByCode(
  ctx: Pick<Ctx, 'db' | 'sqlite'>,
  refs: readonly string[],
): Promise<Map<string, bigint>> {
  const sums = new Map<string, bigint>();
  const rows = await selectWhereIn<{ code: string; currency: string; amount_minor: bigint }>(ctx, {
    from: 'ledger_transfers',
    columns: ['code', 'currency', 'amount_minor'],
    column: 'ref',
    values: refs,
  });
  for (const r of rows) {
    const key = `${r.code} ${r.currency}`;
    sums.set(key, (sums.get(key) ?? 0n) + BigInt(r.amount_minor));
  }
  return sums;
}
