import type { Ctx } from '../context.js';
import { selectWhereIn } from '../db/select-where-in.js';
import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import type { BankAccount } from './bank-accounts.js';
import { getAffiliate } from './queries.js';

/** The bank details a payout file needs, decrypted: only for the file being written. */
export type BankAccountDetails = {
  id: string;
  kind: 'iban' | 'swift';
  number: string;
  bic: string | null;
  holderName: string;
  country: string;
};

const COLUMNS = [
  'id',
  'kind',
  'holder_name',
  'country',
  'account_masked',
  'bic',
  'status',
  'created_at',
  'flag_reason',
] as const;

/** The affiliate's current payout account (active or flagged), or undefined if none was set. */
export async function currentBankAccount(
  db: Db,
  affiliateId: string,
): Promise<BankAccount | undefined> {
  const row = await db
    .selectFrom('bank_accounts')
    .select([...COLUMNS])
    .where('affiliate_id', '=', affiliateId)
    .where('status', '!=', 'replaced')
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    kind: row.kind,
    holderName: row.holder_name,
    country: row.country,
    accountMasked: row.account_masked,
    bic: row.bic,
    status: row.status,
    createdAt: row.created_at,
    flagReason: row.flag_reason,
  };
}

/**
 * The account a withdrawal of this (existing) affiliate can go to: it must exist and not be
 * flagged. The errors say what the affiliate has to do.
 */
export async function bankAccountForWithdrawal(db: Db, affiliateId: string): Promise<BankAccount> {
  const account = await currentBankAccount(db, affiliateId);
  if (!account)
    throw new AppError('bank_account_missing', 'add a payout bank account before withdrawing');
  if (account.status === 'needs_update')
    throw new AppError(
      'bank_account_needs_update',
      `the bank could not pay ${account.accountMasked}${account.flagReason ? ` (${account.flagReason})` : ''}: change the bank account before withdrawing again`,
    );
  return account;
}

/** Decrypted details of these accounts, by id: for the bank file being written. */
export async function bankAccountDetails(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'secrets'>,
  ids: readonly string[],
): Promise<Map<string, BankAccountDetails>> {
  type Row = {
    id: string;
    kind: 'iban' | 'swift';
    account_enc: string;
    bic: string | null;
    holder_name: string;
    country: string;
  };
  const rows = await selectWhereIn<Row>(ctx, {
    from: 'bank_accounts',
    columns: ['id', 'kind', 'account_enc', 'bic', 'holder_name', 'country'],
    column: 'id',
    values: [...new Set(ids)],
  });
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        kind: r.kind,
        number: ctx.secrets.open(r.account_enc),
        bic: r.bic,
        holderName: r.holder_name,
        country: r.country,
      },
    ]),
  );
}

/**
 * Marks an account the bank could not pay: no withdrawal goes to it until the affiliate
 * sets a new one. An account already replaced stays replaced. Returns whether it changed.
 */
export async function flagBankAccount(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  accountId: string,
  reason: string,
): Promise<boolean> {
  const result = await ctx.db
    .updateTable('bank_accounts')
    .set({ status: 'needs_update', flagged_at: toDbTime(ctx.clock.now()), flag_reason: reason })
    .where('id', '=', accountId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export type PayoutCandidate = {
  affiliateId: string;
  bankAccountId: string;
  bankAccountKind: 'iban' | 'swift';
  bankCountry: string;
  accountMasked: string;
};

/**
 * The affiliates a monthly payout run pays: approved, auto-withdraw on, with an account
 * the bank has not refused. One query shape for listing them, counting them, and checking
 * them again inside the run's transaction.
 */
function payees(db: Db) {
  return db
    .selectFrom('affiliates')
    .innerJoin('bank_accounts', 'bank_accounts.affiliate_id', 'affiliates.id')
    .where('affiliates.status', '=', 'approved')
    .where('affiliates.auto_withdraw', '=', 1n)
    .where('bank_accounts.status', '=', 'active');
}

const PAYEE_COLUMNS = [
  'affiliates.id as affiliate_id',
  'bank_accounts.id as bank_account_id',
  'bank_accounts.kind',
  'bank_accounts.country',
  'bank_accounts.account_masked',
] as const;

function toCandidate(r: {
  affiliate_id: string;
  bank_account_id: string;
  kind: 'iban' | 'swift';
  country: string;
  account_masked: string;
}): PayoutCandidate {
  return {
    affiliateId: r.affiliate_id,
    bankAccountId: r.bank_account_id,
    bankAccountKind: r.kind,
    bankCountry: r.country,
    accountMasked: r.account_masked,
  };
}

/** A page of the affiliates a payout run pays, in id order after `afterId`. */
export async function payoutCandidates(
  db: Db,
  afterId: string,
  limit: number,
): Promise<PayoutCandidate[]> {
  const rows = await payees(db)
    .select(PAYEE_COLUMNS)
    .where('affiliates.id', '>', afterId)
    .orderBy('affiliates.id')
    .limit(limit)
    .execute();
  return rows.map(toCandidate);
}

/** How many affiliates a payout run would consider now (its progress bar's total). */
export async function countPayoutCandidates(db: Db): Promise<number> {
  const row = await payees(db)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Those of these affiliates a payout run may still pay, checked again inside its transaction. */
export async function eligiblePayees(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, PayoutCandidate>> {
  if (ids.length === 0) return new Map();
  const rows = await payees(db)
    .select(PAYEE_COLUMNS)
    .where('affiliates.id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.affiliate_id, toCandidate(r)]));
}

/** Whether monthly payout runs pay this affiliate out (on by default). */
export async function setAutoWithdraw(
  ctx: Pick<Ctx, 'db'>,
  affiliateId: string,
  on: boolean,
): Promise<void> {
  await getAffiliate(ctx.db, affiliateId);
  await ctx.db
    .updateTable('affiliates')
    .set({ auto_withdraw: on ? 1n : 0n })
    .where('id', '=', affiliateId)
    .execute();
}
