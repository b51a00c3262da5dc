import { z } from 'zod';
import { csvRecords } from './csv-records.js';

/** One row of a seller's rates file, with its line number for messages. */
export type RatesFileRow = {
  line: number;
  productId: string;
  rateBp: number;
  /** null: from the moment the file is applied. */
  effectiveFrom: Date | null;
};

/** What is wrong with one line; `field` names the column when one is to blame. */
export type RowProblem = {
  line: number;
  field?: 'product_id' | 'rate_bp' | 'effective_from';
  reason: string;
};

export const RATES_FILE_HEADER = ['product_id', 'rate_bp', 'effective_from'] as const;
export const MAX_RATES_FILE_ROWS = 50_000;
export const MAX_RATES_FILE_BYTES = 5 * 1024 * 1024;

const PRODUCT_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const dateTime = z.iso.datetime({ offset: true });

/**
 * Reads a rates file: CSV with the header `product_id,rate_bp,effective_from` and one row per
 * product rate. `effective_from` is empty (now), a day (`2026-12-01`, midnight UTC) or an
 * ISO date-time with its zone. Returns the rows, or the problem of every bad line (a file is
 * taken whole or not at all, so all of them are reported, not only the first).
 */
export function readRatesFile(text: string): { rows: RatesFileRow[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  if (Buffer.byteLength(text, 'utf8') > MAX_RATES_FILE_BYTES)
    return { rows: [], problems: [{ line: 1, reason: 'the file is over 5 MiB: split it' }] };
  const records: { record: string[]; info: { lines: number } }[] = [];
  for (const r of csvRecords(text)) {
    if ('error' in r) problems.push({ line: r.line, reason: `malformed line: ${r.error}` });
    else records.push({ record: r.cells, info: { lines: r.line } });
  }
  const [header, ...body] = records;
  const names = header?.record.map((h) => h.trim().toLowerCase()).join(',');
  if (
    header?.info.lines !== 1 ||
    problems.some((p) => p.line === 1) ||
    names !== RATES_FILE_HEADER.join(',')
  )
    return {
      rows: [],
      problems: [
        { line: 1, reason: `the first line must be the header ${RATES_FILE_HEADER.join(',')}` },
      ],
    };
  if (body.length + problems.length === 0)
    return { rows: [], problems: [{ line: 2, reason: 'the file has no rows after its header' }] };
  if (body.length > MAX_RATES_FILE_ROWS)
    return {
      rows: [],
      problems: [{ line: 1, reason: `${body.length} rows: at most ${MAX_RATES_FILE_ROWS} a file` }],
    };
  const rows: RatesFileRow[] = [];
  for (const { record, info } of body) {
    const line = info.lines;
    if (record.length !== RATES_FILE_HEADER.length) {
      problems.push({
        line,
        reason: `${record.length} fields, expected ${RATES_FILE_HEADER.length} (${RATES_FILE_HEADER.join(',')})`,
      });
      continue;
    }
    const [productId, rate, from] = record.map((cell) => cell.trim()) as [string, string, string];
    const before = problems.length;
    if (!PRODUCT_ID.test(productId))
      problems.push({
        line,
        field: 'product_id',
        reason: `${JSON.stringify(productId.slice(0, 80))} is not a product id (1–64 letters, digits or . _ : / -)`,
      });
    if (!/^\d{1,5}$/.test(rate) || Number(rate) > 10_000)
      problems.push({
        line,
        field: 'rate_bp',
        reason: `${JSON.stringify(rate.slice(0, 40))} is not a rate in whole basis points (0–10000; 500 = 5%)`,
      });
    const effectiveFrom = readDate(from);
    if (effectiveFrom === undefined)
      problems.push({
        line,
        field: 'effective_from',
        reason: `${JSON.stringify(from.slice(0, 40))} is not a date (2026-12-01) or an ISO date-time with its zone (2026-12-01T09:00:00+01:00)`,
      });
    if (problems.length === before && effectiveFrom !== undefined)
      rows.push({ line, productId, rateBp: Number(rate), effectiveFrom });
  }
  problems.sort((a, b) => a.line - b.line);
  return { rows, problems };
}

/** Empty: null (now); a day: its midnight UTC; a date-time with a zone; else undefined. */
function readDate(text: string): Date | null | undefined {
  if (text === '') return null;
  if (DAY.test(text)) {
    const date = new Date(`${text}T00:00:00.000Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text) ? date : undefined;
  }
  if (!dateTime.safeParse(text).success) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
