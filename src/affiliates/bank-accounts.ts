import { electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import { z } from 'zod';
import { countryCode } from '../catalog/schema.js';
import { type Ctx, inTransaction } from '../context.js';
import { toDbTime } from '../db/time.js';
import { AppError } from '../errors.js';
import { newId } from '../lib/ids.js';
import { parseInput } from '../lib/parse-input.js';
import { getAffiliate } from './queries.js';

export const bankAccountInput = z.union([
  z
    .object({
      iban: z.string().max(64),
      bic: z.string().max(16).optional(),
      holderName: z.string().trim().min(2).max(140),
      country: countryCode,
    })
    .strict(),
  z
    .object({
      accountNumber: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9 -]{4,34}$/, 'account numbers are 4–34 letters or digits'),
      swift: z.string().max(16),
      holderName: z.string().trim().min(2).max(140),
      country: countryCode,
    })
    .strict(),
]);
export type BankAccountInput = z.input<typeof bankAccountInput>;

export type BankAccount = {
  id: string;
  kind: 'iban' | 'swift';
  holderName: string;
  country: string;
  accountMasked: string;
  bic: string | null;
  status: 'active' | 'needs_update' | 'replaced';
  createdAt: string;
  /** Why the bank refused or returned a transfer to it (status needs_update). */
  flagReason?: string | null;
};

/**
 * Sets the affiliate's payout account: an IBAN (checked by its checksum; BIC optional) for
 * SEPA, or an account number with SWIFT/BIC for wires. The number is stored encrypted; the
 * previous account is kept, marked replaced.
 */
export async function setBankAccount(
  ctx: Ctx,
  affiliateId: string,
  input: BankAccountInput,
): Promise<BankAccount> {
  const account = parseInput(bankAccountInput, input);
  await getAffiliate(ctx.db, affiliateId);
  let kind: BankAccount['kind'];
  let number: string;
  let bic: string | null;
  if ('iban' in account) {
    number = electronicFormatIBAN(account.iban) ?? '';
    if (!isValidIBAN(number))
      throw new AppError('invalid_iban', 'the IBAN has a wrong country code, length or checksum');
    bic = account.bic ? normaliseBic(account.bic) : null;
    kind = 'iban';
  } else {
    number = account.accountNumber.replace(/[\s-]/g, '').toUpperCase();
    bic = normaliseBic(account.swift);
    kind = 'swift';
  }
  const row = {
    id: newId('bank', ctx.clock),
    affiliate_id: affiliateId,
    kind,
    holder_name: account.holderName,
    country: account.country,
    account_enc: ctx.secrets.seal(number),
    account_masked: mask(number),
    bic,
    status: 'active' as const,
    created_at: toDbTime(ctx.clock.now()),
    replaced_at: null,
    flagged_at: null,
    flag_reason: null,
  };
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .updateTable('bank_accounts')
      .set({ status: 'replaced', replaced_at: row.created_at })
      .where('affiliate_id', '=', affiliateId)
      .where('status', '!=', 'replaced')
      .execute();
    await tx.db.insertInto('bank_accounts').values(row).execute();
  });
  return {
    id: row.id,
    kind,
    holderName: row.holder_name,
    country: row.country,
    accountMasked: row.account_masked,
    bic,
    status: 'active',
    createdAt: row.created_at,
  };
}

function normaliseBic(text: string): string {
  const bic = text.replace(/\s/g, '').toUpperCase();
  if (!isValidBIC(bic))
    throw new AppError('invalid_bic', `${bic || 'an empty code'} is not a valid SWIFT/BIC code`);
  return bic;
}

/** "DE89 **** **** **** 3000": enough to recognise, not enough to use. */
function mask(number: string): string {
  if (number.length <= 8) return `****${number.slice(-2)}`;
  return `${number.slice(0, 4)} **** ${number.slice(-4)}`;
}
