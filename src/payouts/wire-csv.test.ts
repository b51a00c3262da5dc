import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { seedTransfer as seedSepaTransfer, writeToString } from '../test/bank-files.js';
import type { BankFileHeader, BankTransfer } from './bank-file.js';
import { csvField, WIRE_CSV_COLUMNS, writeWireCsv } from './wire-csv.js';

/** A wire: a US account number with its SWIFT code, in dollars. */
function seedTransfer(n: number, overrides: Partial<BankTransfer> = {}): BankTransfer {
  return seedSepaTransfer(n, {
    creditorIban: null,
    creditorAccount: '000123456789',
    creditorBic: 'CHASUS33XXX',
    creditorCountry: 'US',
    ...overrides,
  });
}
const wireCsv = (transfers: BankTransfer[], header: Partial<BankFileHeader> = {}) =>
  writeToString(writeWireCsv, transfers, { currency: 'USD', ...header });

describe('writeWireCsv', () => {
  it('writes one row per transfer that a CSV parser reads back unchanged', async () => {
    const transfers = [
      seedTransfer(0, { amountMinor: 123_456n, creditorName: 'Smith, Jones & "Partners"' }),
      seedTransfer(1, { creditorName: 'Line one\nline two', creditorBic: null }),
      seedTransfer(2, { creditorIban: 'GB29NWBK60161331926819', creditorName: '王小明' }),
    ];
    const text = await wireCsv(transfers);
    expect(text.startsWith(`${WIRE_CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(text).toContain('"Smith, Jones & ""Partners"""');
    const rows: Record<string, string>[] = parse(text, { columns: true });
    expect(rows).toEqual([
      {
        end_to_end_id: transfers[0]?.endToEndId,
        amount: '1234.56',
        currency: 'USD',
        beneficiary_name: 'Smith, Jones & "Partners"',
        account: '000123456789',
        bic: 'CHASUS33XXX',
        country: 'US',
        remittance: 'affnet payout wd-0 2026-10',
        batch_id: 'pb-01kbx9m2r4t6v8w0y2a4c6e8g0',
        execution_date: '2026-11-27',
      },
      expect.objectContaining({ beneficiary_name: 'Line one\nline two', bic: '', amount: '0.02' }),
      expect.objectContaining({ beneficiary_name: '王小明', account: 'GB29NWBK60161331926819' }),
    ]);
  });

  it('puts an apostrophe before a field a spreadsheet would run as a formula', async () => {
    const names = ['=HYPERLINK("http://x")', '+1+1', '-2', '@SUM(A1)', '\tcmd', '\rcmd'];
    const text = await wireCsv(names.map((creditorName, n) => seedTransfer(n, { creditorName })));
    const rows: Record<string, string>[] = parse(text, { columns: true });
    expect(rows.map((row) => row.beneficiary_name)).toEqual(names.map((name) => `'${name}`));
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField("O'Brien")).toBe("O'Brien");
  });

  it('refuses transfers that do not add up to the header', async () => {
    const two = [seedTransfer(0), seedTransfer(1)];
    await expect(wireCsv(two, { totalMinor: 4n })).rejects.toThrow(
      'streamed 2 transfers totalling 0.03 USD, header says 2 transfers totalling 0.04 USD',
    );
    await expect(wireCsv(two, { count: 3 })).rejects.toThrow(/streamed 2 transfers.*says 3/);
    await expect(wireCsv(two, { count: 1 })).rejects.toThrow('streamed more than 1 transfers');
  });

  it('treats a transfer without any account number as a programmer error', async () => {
    const noAccount = seedTransfer(0, { creditorIban: null, creditorAccount: null });
    await expect(wireCsv([noAccount])).rejects.toThrow(/no IBAN and no account number/);
  });
});
