import assert from 'node:assert/strict';
import type { Writable } from 'node:stream';
import { formatMoney } from '../money.js';

/** What a bank file says about its batch before the first transfer: totals come from the database. */
export type BankFileHeader = {
  /** e.g. 'pb_01kb…' (≤ 35 chars): MsgId and PmtInfId in SEPA files. */
  batchId: string;
  /** ISO-8601 UTC, e.g. '2026-11-26T10:00:00.000Z'. */
  createdAt: string;
  /** YYYY-MM-DD. */
  executionDate: string;
  debtor: { name: string; iban: string; bic: string };
  /** ISO 4217. */
  currency: string;
  /** Number of transfers the file will hold. */
  count: number;
  /** Sum of the transfers' amounts, minor units. */
  totalMinor: bigint;
};

/** One payout to one bank account, in the batch's currency. */
export type BankTransfer = {
  /** The withdrawal id, e.g. 'wd_01kb…' (≤ 35 chars): the bank reports it back on returns. */
  endToEndId: string;
  /** Net amount sent, minor units, > 0. */
  amountMinor: bigint;
  /** Account holder as entered: any Unicode. */
  creditorName: string;
  creditorIban: string | null;
  /** Account number of a non-IBAN account (wires). */
  creditorAccount: string | null;
  creditorBic: string | null;
  /** ISO 3166 alpha-2. */
  creditorCountry: string;
  remittance: string;
};

export type BankFileOutput = NodeJS.WritableStream | Writable;

/** Writes `text`, and when the stream's buffer is full waits for it to drain (or fail). */
export async function writeText(out: BankFileOutput, text: string): Promise<void> {
  if (out.write(text)) return;
  if ('destroyed' in out && out.destroyed) throw new Error('bank file output closed');
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (error: Error) => done(error);
    const onClose = () => done(new Error('bank file output closed before it drained'));
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}

export type BankFileLayout = {
  head: string;
  row: (transfer: BankTransfer) => string;
  tail: string;
};

/**
 * Streams `head`, one row per transfer as the iterable yields it, then `tail`. The header
 * (count, total) is written before the transfers are seen, so they are checked against it as
 * they pass, and a mismatch throws before the tail: an XML file then stays visibly unfinished.
 * The caller ends `out`, and deletes the file when this throws.
 */
export async function streamBankFile(
  out: BankFileOutput,
  header: BankFileHeader,
  transfers: AsyncIterable<BankTransfer>,
  layout: BankFileLayout,
): Promise<void> {
  assert.ok(Number.isSafeInteger(header.count) && header.count >= 0, 'header count');
  assert.ok(header.totalMinor >= 0n, 'header total is negative');
  await writeText(out, layout.head);
  let count = 0;
  let totalMinor = 0n;
  for await (const transfer of transfers) {
    assert.ok(transfer.amountMinor > 0n, `transfer ${transfer.endToEndId}: amount must be > 0`);
    count += 1;
    totalMinor += transfer.amountMinor;
    // Also the loop's bound: more transfers than announced can never become right.
    if (count > header.count) throw mismatch(header, `more than ${header.count} transfers`);
    await writeText(out, layout.row(transfer));
  }
  if (count !== header.count || totalMinor !== header.totalMinor) {
    const total = formatMoney({ amountMinor: totalMinor, currency: header.currency });
    throw mismatch(header, `${count} transfers totalling ${total}`);
  }
  await writeText(out, layout.tail);
}

function mismatch(header: BankFileHeader, streamed: string): Error {
  const total = formatMoney({ amountMinor: header.totalMinor, currency: header.currency });
  const expected = `${header.count} transfers totalling ${total}`;
  return new Error(`bank file ${header.batchId}: streamed ${streamed}, header says ${expected}`);
}
