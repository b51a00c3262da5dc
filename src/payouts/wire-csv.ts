import assert from 'node:assert/strict';
import { formatDecimal } from '../money.js';
import {
  type BankFileHeader,
  type BankFileOutput,
  type BankTransfer,
  streamBankFile,
} from './bank-file.js';

export const WIRE_CSV_COLUMNS = [
  'end_to_end_id',
  'amount',
  'currency',
  'beneficiary_name',
  'account',
  'bic',
  'country',
  'remittance',
  'batch_id',
  'execution_date',
] as const;

/**
 * Writes international wires as CSV (RFC 4180, CRLF line ends, UTF-8): a header row, then one
 * row per transfer as `transfers` yields it, waiting whenever `out` is full. `account` is the
 * IBAN or else the account number. Throws when the transfers do not add up to `header.count`
 * and `header.totalMinor`; rows already written stay, so the caller deletes the file. Does not
 * end `out`.
 */
export async function writeWireCsv(
  out: BankFileOutput,
  header: BankFileHeader,
  transfers: AsyncIterable<BankTransfer>,
): Promise<void> {
  await streamBankFile(out, header, transfers, {
    head: csvRow(WIRE_CSV_COLUMNS),
    row: (transfer) => wireRow(header, transfer),
    tail: '',
  });
}

function wireRow(header: BankFileHeader, transfer: BankTransfer): string {
  const account = transfer.creditorIban ?? transfer.creditorAccount;
  assert.ok(account, `transfer ${transfer.endToEndId}: no IBAN and no account number`);
  return csvRow([
    transfer.endToEndId,
    formatDecimal(transfer.amountMinor, header.currency),
    header.currency,
    transfer.creditorName,
    account,
    transfer.creditorBic ?? '',
    transfer.creditorCountry,
    transfer.remittance,
    header.batchId,
    header.executionDate,
  ]);
}

function csvRow(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/**
 * One field, quoted when it holds a comma, quote or line break. A field a spreadsheet would
 * run as a formula (= + - @, or a leading tab or CR) gets an apostrophe first: payout files
 * get opened in Excel, and a holder name is text the affiliate chose (OWASP "CSV injection").
 */
export function csvField(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
