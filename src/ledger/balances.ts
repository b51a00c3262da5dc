import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import type { AccountBalance } from './schema.js';

const ZERO: AccountBalance = {
  debitsPending: 0n,
  creditsPending: 0n,
  debitsPosted: 0n,
  creditsPosted: 0n,
};

/** The cached sums of one account (zero for an account never used). */
export async function accountBalance(db: Db, accountId: string): Promise<AccountBalance> {
  const row = await db
    .selectFrom('ledger_balances')
    .selectAll()
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) return ZERO;
  return {
    debitsPending: row.debits_pending,
    creditsPending: row.credits_pending,
    debitsPosted: row.debits_posted,
    creditsPosted: row.credits_posted,
  };
}

/**
 * Every account's sums derived from the transfers alone: a pending transfer counts as
 * pending until a post or void resolves it; posted and post transfers count as posted.
 */
export async function derivedBalances(db: Db): Promise<Map<string, AccountBalance>> {
  const { rows } = await sql<{
    account_id: string;
    debits_pending: bigint;
    credits_pending: bigint;
    debits_posted: bigint;
    credits_posted: bigint;
  }>`
    with legs as (
      select t.debit_account_id as account_id,
        case when t.kind = 'pending' and r.id is null then t.amount_minor else 0 end as debits_pending,
        0 as credits_pending,
        case when t.kind in ('posted', 'post') then t.amount_minor else 0 end as debits_posted,
        0 as credits_posted
      from ledger_transfers t left join ledger_transfers r on r.pending_id = t.id
      union all
      select t.credit_account_id,
        0,
        case when t.kind = 'pending' and r.id is null then t.amount_minor else 0 end,
        0,
        case when t.kind in ('posted', 'post') then t.amount_minor else 0 end
      from ledger_transfers t left join ledger_transfers r on r.pending_id = t.id
    )
    select account_id,
      cast(sum(debits_pending) as bigint) as debits_pending,
      cast(sum(credits_pending) as bigint) as credits_pending,
      cast(sum(debits_posted) as bigint) as debits_posted,
      cast(sum(credits_posted) as bigint) as credits_posted
    from legs group by account_id`.execute(db);
  return new Map(
    rows.map((r) => [
      r.account_id,
      {
        debitsPending: BigInt(r.debits_pending),
        creditsPending: BigInt(r.credits_pending),
        debitsPosted: BigInt(r.debits_posted),
        creditsPosted: BigInt(r.credits_posted),
      },
    ]),
  );
}
