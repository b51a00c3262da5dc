import { PassThrough } from 'node:stream';
import type { BankFileHeader, BankFileOutput, BankTransfer } from '../payouts/bank-file.js';

export function seedHeader(overrides: Partial<BankFileHeader> = {}): BankFileHeader {
  return {
    batchId: 'pb-01kbx9m2r4t6v8w0y2a4c6e8g0',
    createdAt: '2026-11-26T10:00:00.000Z',
    executionDate: '2026-11-27',
    debtor: { name: 'Affnet GmbH', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
    currency: 'EUR',
    count: 1,
    totalMinor: 1n,
    ...overrides,
  };
}

/** Transfer n to a French IBAN (SEPA) unless overridden. */
export function seedTransfer(n: number, overrides: Partial<BankTransfer> = {}): BankTransfer {
  return {
    endToEndId: `wd-01kbx9m2r4t6v8w0y2a4${String(n).padStart(6, '0')}`,
    amountMinor: BigInt(n + 1),
    creditorName: `Holder ${n}`,
    creditorIban: 'FR1420041010050500013M02606',
    creditorAccount: null,
    creditorBic: null,
    creditorCountry: 'FR',
    remittance: `affnet payout wd-${n} 2026-10`,
    ...overrides,
  };
}

export async function* each<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

type Writer = (
  out: BankFileOutput,
  header: BankFileHeader,
  transfers: AsyncIterable<BankTransfer>,
) => Promise<void>;

/** What `write` makes of these transfers, with a header whose count and total match them. */
export async function writeToString(
  write: Writer,
  transfers: BankTransfer[],
  header: Partial<BankFileHeader> = {},
): Promise<string> {
  const totalMinor = transfers.reduce((sum, t) => sum + t.amountMinor, 0n);
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await write(out, seedHeader({ count: transfers.length, totalMinor, ...header }), each(transfers));
  return Buffer.concat(chunks).toString('utf8');
}
