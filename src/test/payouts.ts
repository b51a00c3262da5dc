import { setBankAccount } from '../affiliates/bank-accounts.js';
import type { Ctx } from '../context.js';
import { createTransfersBatch } from '../ledger/create-transfers-batch.js';
import { PROGRAM_OWNER } from '../ledger/schema.js';
import { seedAffiliate } from './factories.js';

export const GERMAN_IBAN = 'DE89370400440532013000';
export const FRENCH_IBAN = 'FR1420041010050500013M02606';

let earned = 0;

/** Settled commission credited to the affiliate, as settlement would post it. */
export async function seedEarnings(
  ctx: Ctx,
  affiliateId: string,
  amountMinor: bigint,
  currency = 'USD',
): Promise<void> {
  earned += 1;
  await createTransfersBatch(ctx, [
    {
      kind: 'posted',
      key: `test-earning-${earned}-${affiliateId}`,
      debit: { kind: 'commission_expense', ownerId: PROGRAM_OWNER, currency },
      credit: { kind: 'affiliate', ownerId: affiliateId, currency },
      amountMinor,
      code: 'test_earning',
      ref: `test-earning-${earned}`,
      explanation: 'test earnings',
    },
  ]);
}

/** An approved affiliate with a German IBAN on file and `earnedMinor` available. */
export async function seedPayee(
  ctx: Ctx,
  options: { earnedMinor?: bigint; currency?: string; iban?: string } = {},
): Promise<{ id: string; email: string; bankAccountId: string }> {
  const affiliate = await seedAffiliate(ctx, { approve: true });
  const account = await setBankAccount(ctx, affiliate.id, {
    iban: options.iban ?? GERMAN_IBAN,
    bic: 'COBADEFFXXX',
    holderName: 'Zoë Müller',
    country: 'DE',
  });
  if (options.earnedMinor)
    await seedEarnings(ctx, affiliate.id, options.earnedMinor, options.currency);
  return { ...affiliate, bankAccountId: account.id };
}
