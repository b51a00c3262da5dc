import fs from 'node:fs';
import path from 'node:path';
import { type BankAccountDetails, bankAccountDetails } from '../affiliates/payout-accounts.js';
import { type Ctx, inTransaction } from '../context.js';
import { toDbTime } from '../db/time.js';
import type { PayoutRail } from '../db/types.js';
import { AppError } from '../errors.js';
import { getSettings } from '../settings/get-settings.js';
import type { BankFileHeader, BankTransfer } from './bank-file.js';
import { notifyWithdrawals } from './notify.js';
import { payoutId } from './payout-id.js';
import { toWithdrawal } from './queries.js';
import { writeSepaFile } from './sepa-file.js';
import { writeWireCsv } from './wire-csv.js';

export type BankFileFormat = 'sepa' | 'csv';
const RAIL: Record<BankFileFormat, PayoutRail> = { sepa: 'sepa', csv: 'wire' };
const PAGE = 1000;

export type ExportedBatch = {
  batchId: string;
  transfers: number;
  totalMinor: bigint;
  currency: string;
};

/**
 * Puts every Processing withdrawal of the format's rail that no file has carried yet into a
 * new batch, and writes the batch's file to `file`; with `batchId`, writes that batch's file
 * again, byte for byte the same. The file is streamed page by page (memory stays flat
 * whatever the batch size) into a temporary name and renamed when complete, so a failure
 * never leaves half a file. Returns undefined when there is nothing to export.
 */
export async function exportBatch(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock' | 'secrets'>,
  options: { format: BankFileFormat; file: string; batchId?: string | undefined },
): Promise<ExportedBatch | undefined> {
  const rail = RAIL[options.format];
  const settings = await getSettings(ctx.db, ctx.clock.now());
  const debtor = {
    name: settings.payoutDebtorName,
    iban: settings.payoutDebtorIban,
    bic: settings.payoutDebtorBic,
  };
  if (options.format === 'sepa' && (!debtor.name || !debtor.iban || !debtor.bic))
    throw new AppError(
      'payout_debtor_missing',
      'set the account payouts are paid from first: affnet settings set payoutDebtorName / payoutDebtorIban / payoutDebtorBic',
    );
  const batch = options.batchId
    ? await findBatch(ctx, options.batchId, rail)
    : await createBatch(ctx, rail, settings.settlementCurrency);
  if (!batch) return undefined;
  const header: BankFileHeader = {
    batchId: batch.id,
    createdAt: batch.created_at,
    executionDate: batch.created_at.slice(0, 10),
    debtor,
    currency: batch.currency,
    count: Number(batch.transfers),
    totalMinor: batch.total_minor,
  };
  const partial = path.join(path.dirname(options.file), `.${path.basename(options.file)}.partial`);
  const out = fs.createWriteStream(partial);
  try {
    const write = options.format === 'sepa' ? writeSepaFile : writeWireCsv;
    await write(out, header, transfersOf(ctx, batch.id));
    await close(out);
    fs.renameSync(partial, options.file);
  } catch (error) {
    out.destroy();
    fs.rmSync(partial, { force: true });
    throw error;
  }
  return {
    batchId: batch.id,
    transfers: header.count,
    totalMinor: header.totalMinor,
    currency: header.currency,
  };
}

type BatchRow = {
  id: string;
  currency: string;
  transfers: bigint;
  total_minor: bigint;
  created_at: string;
};

async function findBatch(ctx: Pick<Ctx, 'db'>, id: string, rail: PayoutRail): Promise<BatchRow> {
  const row = await ctx.db
    .selectFrom('payout_batches')
    .select(['id', 'currency', 'transfers', 'total_minor', 'created_at'])
    .where('id', '=', id)
    .where('rail', '=', rail)
    .executeTakeFirst();
  if (!row) throw new AppError('payout_batch_not_found', `no ${rail} payout batch ${id}`);
  return row;
}

/** Claims the unexported withdrawals for a new batch, and queues their "on its way" emails. */
async function createBatch(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
  rail: PayoutRail,
  currency: string,
): Promise<BatchRow | undefined> {
  return inTransaction(ctx, async (tx) => {
    const now = toDbTime(tx.clock.now());
    const id = payoutId('pb', tx.clock);
    await tx.db
      .insertInto('payout_batches')
      .values({ id, rail, currency, transfers: 0n, total_minor: 0n, created_at: now })
      .execute();
    await tx.db
      .updateTable('withdrawals')
      .set({ batch_id: id, exported_at: now })
      .where('rail', '=', rail)
      .where('state', '=', 'processing')
      .where('batch_id', 'is', null)
      .where('currency', '=', currency)
      .execute();
    const totals = await tx.db
      .selectFrom('withdrawals')
      .select((eb) => [
        eb.fn.countAll<bigint>().as('transfers'),
        eb.fn.coalesce(eb.fn.sum<bigint>('net_minor'), eb.val(0n)).as('total'),
      ])
      .where('batch_id', '=', id)
      .executeTakeFirstOrThrow();
    const transfers = BigInt(totals.transfers);
    if (transfers === 0n) {
      await tx.db.deleteFrom('payout_batches').where('id', '=', id).execute();
      return undefined;
    }
    const total = BigInt(totals.total);
    await tx.db
      .updateTable('payout_batches')
      .set({ transfers, total_minor: total })
      .where('id', '=', id)
      .execute();
    for (let after = ''; ; ) {
      const page = await tx.db
        .selectFrom('withdrawals')
        .selectAll()
        .where('batch_id', '=', id)
        .where('id', '>', after)
        .orderBy('id')
        .limit(PAGE)
        .execute();
      await notifyWithdrawals(tx, page.map(toWithdrawal), 'sent');
      if (page.length < PAGE) break;
      after = (page.at(-1) as { id: string }).id;
    }
    return { id, currency, transfers, total_minor: total, created_at: now };
  });
}

/** The batch's transfers in id order, a page at a time, with the accounts decrypted per page. */
async function* transfersOf(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'secrets'>,
  batchId: string,
): AsyncGenerator<BankTransfer> {
  for (let after = ''; ; ) {
    const page = await ctx.db
      .selectFrom('withdrawals')
      .select(['id', 'net_minor', 'bank_account_id', 'period'])
      .where('batch_id', '=', batchId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    const accounts = await bankAccountDetails(
      ctx,
      page.map((w) => w.bank_account_id),
    );
    for (const w of page) {
      const account = accounts.get(w.bank_account_id) as BankAccountDetails;
      yield {
        endToEndId: w.id,
        amountMinor: w.net_minor,
        creditorName: account.holderName,
        creditorIban: account.kind === 'iban' ? account.number : null,
        creditorAccount: account.kind === 'iban' ? null : account.number,
        creditorBic: account.bic,
        creditorCountry: account.country,
        remittance: `affnet payout ${w.id}${w.period ? ` ${w.period}` : ''}`,
      };
    }
    if (page.length < PAGE) return;
    after = (page.at(-1) as { id: string }).id;
  }
}

function close(out: fs.WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
}
