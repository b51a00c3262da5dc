import type { Db } from '../db/types.js';

/** One movement on an account and what it did to each of the owner's balances. */
export type StatementEntry = {
  id: string;
  createdAt: string;
  kind: 'posted' | 'pending' | 'post' | 'void';
  code: string;
  ref: string | null;
  explanation: string | null;
  currency: string;
  /** The transfer's amount (for a post, what was posted). */
  amountMinor: bigint;
  side: 'credit' | 'debit';
  /** Change of pending credits: commission estimated, not yet settled. */
  estimatedDeltaMinor: bigint;
  /** Change of the spendable balance (below zero it is a negative carry). */
  availableDeltaMinor: bigint;
  /** Change of pending debits: withdrawals on their way to the bank. */
  inTransitDeltaMinor: bigint;
};

export const MAX_STATEMENT_PAGE = 500;

/**
 * The transfers that touched an account, oldest first, from after `afterId` (a page
 * cursor), each with its effect on the owner's balances: the statement an affiliate reads.
 * A post or void is shown with the pending transfer it resolved, so a partial post
 * releases the rest of the pending amount in the same line.
 */
export async function accountStatement(
  db: Db,
  accountId: string,
  page: { afterId?: string | undefined; limit: number },
): Promise<StatementEntry[]> {
  const limit = Math.min(Math.max(page.limit, 1), MAX_STATEMENT_PAGE);
  const rows = await db
    .selectFrom('ledger_transfers as t')
    .leftJoin('ledger_transfers as p', 'p.id', 't.pending_id')
    .select([
      't.id',
      't.created_at',
      't.kind',
      't.code',
      't.ref',
      't.explanation',
      't.currency',
      't.amount_minor',
      't.credit_account_id',
      'p.amount_minor as pending_minor',
    ])
    .where((eb) =>
      eb.or([eb('t.debit_account_id', '=', accountId), eb('t.credit_account_id', '=', accountId)]),
    )
    .$if(page.afterId !== undefined, (q) => q.where('t.id', '>', page.afterId as string))
    .orderBy('t.id')
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const side = r.credit_account_id === accountId ? 'credit' : 'debit';
    const amount = r.amount_minor;
    const pending = r.pending_minor ?? amount;
    const effect = effectOf(r.kind, side, amount, pending);
    return {
      id: r.id,
      createdAt: r.created_at,
      kind: r.kind,
      code: r.code,
      ref: r.ref,
      explanation: r.explanation,
      currency: r.currency,
      amountMinor: amount,
      side,
      ...effect,
    };
  });
}

function effectOf(
  kind: StatementEntry['kind'],
  side: StatementEntry['side'],
  amount: bigint,
  pending: bigint,
): Pick<StatementEntry, 'estimatedDeltaMinor' | 'availableDeltaMinor' | 'inTransitDeltaMinor'> {
  const zero = { estimatedDeltaMinor: 0n, availableDeltaMinor: 0n, inTransitDeltaMinor: 0n };
  if (side === 'credit') {
    if (kind === 'posted') return { ...zero, availableDeltaMinor: amount };
    if (kind === 'pending') return { ...zero, estimatedDeltaMinor: amount };
    if (kind === 'post')
      return { ...zero, estimatedDeltaMinor: -pending, availableDeltaMinor: amount };
    return { ...zero, estimatedDeltaMinor: -pending };
  }
  // A pending debit already counts against the available balance.
  if (kind === 'posted') return { ...zero, availableDeltaMinor: -amount };
  if (kind === 'pending')
    return { ...zero, availableDeltaMinor: -amount, inTransitDeltaMinor: amount };
  if (kind === 'post')
    return { ...zero, availableDeltaMinor: pending - amount, inTransitDeltaMinor: -pending };
  return { ...zero, availableDeltaMinor: pending, inTransitDeltaMinor: -pending };
}
