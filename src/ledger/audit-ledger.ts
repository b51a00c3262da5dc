import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { derivedBalances } from './balances.js';

export type LedgerAudit = { transfers: number; accounts: number; violations: string[] };

const MAX_REPORTED = 100;

/**
 * Checks the ledger's invariants and says which are broken: every transfer balances and
 * names accounts of its currency; posts and voids resolve a pending transfer once, a post
 * for at most its amount; all accounts sum to zero per currency; each sub-order's
 * commission is booked once; every cached balance equals the one derived from transfers.
 */
export async function auditLedger(db: Db): Promise<LedgerAudit> {
  const violations: string[] = [];
  const report = (rows: { message: string }[]) => {
    for (const row of rows.slice(0, MAX_REPORTED)) violations.push(row.message);
    if (rows.length > MAX_REPORTED) violations.push(`… and ${rows.length - MAX_REPORTED} more`);
  };

  // Transfers that do not balance on their own.
  const malformed = await sql<{ key: string; problem: string }>`
    select t.key, case
      when t.amount_minor <= 0 then 'amount is not positive'
      when t.debit_account_id = t.credit_account_id then 'debits and credits the same account'
      when d.currency <> t.currency or c.currency <> t.currency then 'accounts of another currency'
      when t.kind in ('post', 'void') and p.id is null then 'resolves no pending transfer'
      when t.kind in ('post', 'void') and (p.debit_account_id <> t.debit_account_id or p.credit_account_id <> t.credit_account_id) then 'resolves a pending transfer between other accounts'
      when t.kind = 'post' and t.amount_minor > p.amount_minor then 'posts more than was pending'
      when t.kind = 'void' and t.amount_minor <> p.amount_minor then 'voids another amount than was pending'
      when t.kind in ('posted', 'pending') and t.pending_id is not null then 'names a pending transfer it cannot resolve'
    end as problem
    from ledger_transfers t
    join ledger_accounts d on d.id = t.debit_account_id
    join ledger_accounts c on c.id = t.credit_account_id
    left join ledger_transfers p on p.id = t.pending_id and p.kind = 'pending'`.execute(db);
  report(
    malformed.rows
      .filter((r) => r.problem !== null)
      .map((r) => ({ message: `transfer ${r.key}: ${r.problem}` })),
  );

  // A pending transfer resolved twice (the unique index forbids it; the audit checks anyway).
  const twice = await sql<{ pending_id: string; n: bigint }>`
    select pending_id, count(*) as n from ledger_transfers
    where pending_id is not null group by pending_id having count(*) > 1`.execute(db);
  report(
    twice.rows.map((r) => ({ message: `pending transfer ${r.pending_id} resolved ${r.n} times` })),
  );

  // Each sub-order's commission booked once.
  const booked = await sql<{ ref: string; n: bigint }>`
    select ref, count(*) as n from ledger_transfers
    where code = 'commission' and kind in ('pending', 'posted') group by ref having count(*) > 1`.execute(
    db,
  );
  report(booked.rows.map((r) => ({ message: `commission for ${r.ref} booked ${r.n} times` })));

  // Derived balances: zero sum per currency, and equal to the cache.
  const derived = await derivedBalances(db);
  const accounts = await db.selectFrom('ledger_accounts').select(['id', 'currency']).execute();
  const cached = new Map(
    (await db.selectFrom('ledger_balances').selectAll().execute()).map((r) => [r.account_id, r]),
  );
  const sums = new Map<string, { pending: bigint; posted: bigint }>();
  const mismatched: { message: string }[] = [];
  for (const account of accounts) {
    const d = derived.get(account.id) ?? {
      debitsPending: 0n,
      creditsPending: 0n,
      debitsPosted: 0n,
      creditsPosted: 0n,
    };
    const sum = sums.get(account.currency) ?? { pending: 0n, posted: 0n };
    sum.pending += d.creditsPending - d.debitsPending;
    sum.posted += d.creditsPosted - d.debitsPosted;
    sums.set(account.currency, sum);
    const c = cached.get(account.id);
    if (
      !c ||
      c.debits_pending !== d.debitsPending ||
      c.credits_pending !== d.creditsPending ||
      c.debits_posted !== d.debitsPosted ||
      c.credits_posted !== d.creditsPosted
    ) {
      mismatched.push({
        message: `account ${account.id}: cached balance ${c ? `${c.debits_posted}/${c.credits_posted} posted, ${c.debits_pending}/${c.credits_pending} pending` : 'missing'} differs from derived ${d.debitsPosted}/${d.creditsPosted} posted, ${d.debitsPending}/${d.creditsPending} pending (debits/credits)`,
      });
    }
  }
  report(mismatched);
  for (const [currency, sum] of sums) {
    if (sum.pending !== 0n || sum.posted !== 0n)
      violations.push(
        `${currency} accounts do not sum to zero: posted ${sum.posted}, pending ${sum.pending}`,
      );
  }
  const transfers = await db
    .selectFrom('ledger_transfers')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .executeTakeFirstOrThrow();
  return { transfers: Number(transfers.n), accounts: accounts.length, violations };
}
