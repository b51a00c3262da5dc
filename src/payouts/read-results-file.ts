import { parse } from 'csv-parse/sync';
import { z } from 'zod';

/** One line of a bank's results file, with its line number for error messages. */
export type ResultLine = {
  line: number;
  endToEndId: string;
  status: 'accepted' | 'rejected' | 'returned';
  reasonCode: string | null;
  reasonText: string | null;
  date: string;
};

export type LineProblem = { line: number; message: string };

const HEADER = ['end_to_end_id', 'status', 'reason_code', 'reason_text', 'date'];
export const MAX_RESULT_LINES = 1_000_000;

const lineSchema = z.object({
  end_to_end_id: z
    .string()
    .min(1, 'end_to_end_id is empty')
    .max(35, 'end_to_end_id is over 35 characters'),
  status: z.enum(['accepted', 'rejected', 'returned'], {
    error: 'status must be accepted, rejected or returned',
  }),
  reason_code: z.string().max(35, 'reason_code is over 35 characters'),
  reason_text: z.string().max(500, 'reason_text is over 500 characters'),
  date: z.iso.date('date must be a calendar date, YYYY-MM-DD'),
});

/**
 * Parses a results file (CSV with the header end_to_end_id,status,reason_code,reason_text,
 * date) into lines, or into the problems of every bad line: a file is taken whole or not
 * at all. A refusal needs a reason (code or text); an acceptance needs none.
 */
export function readResultsFile(text: string): { lines: ResultLine[]; problems: LineProblem[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof records; // csv-parse's types miss the shape `info` gives
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { lines: [], problems: [{ line, message: `not CSV: ${(error as Error).message}` }] };
  }
  const [header, ...rows] = records;
  if (!header || header.record.map((h) => h.trim().toLowerCase()).join(',') !== HEADER.join(','))
    return {
      lines: [],
      problems: [{ line: 1, message: `the header must be ${HEADER.join(',')}` }],
    };
  if (rows.length > MAX_RESULT_LINES)
    return { lines: [], problems: [{ line: 1, message: `more than ${MAX_RESULT_LINES} lines` }] };
  const lines: ResultLine[] = [];
  const problems: LineProblem[] = [];
  for (const { record: cells, info } of rows) {
    const line = info.lines;
    if (cells.length !== HEADER.length) {
      problems.push({ line, message: `${cells.length} fields, expected ${HEADER.length}` });
      continue;
    }
    const parsed = lineSchema.safeParse(
      Object.fromEntries(HEADER.map((name, k) => [name, (cells[k] as string).trim()])),
    );
    if (!parsed.success) {
      problems.push({ line, message: parsed.error.issues.map((x) => x.message).join('; ') });
      continue;
    }
    const r = parsed.data;
    if (r.status !== 'accepted' && !r.reason_code && !r.reason_text) {
      problems.push({ line, message: `a ${r.status} transfer needs a reason_code or reason_text` });
      continue;
    }
    lines.push({
      line,
      endToEndId: r.end_to_end_id,
      status: r.status,
      reasonCode: r.reason_code || null,
      reasonText: r.reason_text || null,
      date: r.date,
    });
  }
  return { lines, problems };
}
