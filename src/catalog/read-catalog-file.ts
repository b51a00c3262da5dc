import fs from 'node:fs';
import readline from 'node:readline';
import { parse } from 'csv-parse';

export type RawRecord =
  | { line: number; record: Record<string, unknown> }
  | { line: number; error: string };

const MAX_LINE_CHARS = 64 * 1024;

/** Yields the records of a CSV (header row first) or JSON-lines file, with their line numbers. */
export async function* readCatalogFile(file: string): AsyncGenerator<RawRecord> {
  if (/\.(jsonl|ndjson|json)$/i.test(file)) yield* readJsonLines(file);
  else yield* readCsv(file);
}

async function* readJsonLines(file: string): AsyncGenerator<RawRecord> {
  const lines = readline.createInterface({
    input: fs.createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    if (text.length > MAX_LINE_CHARS) {
      yield { line, error: `line is longer than ${MAX_LINE_CHARS} characters` };
      continue;
    }
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        yield { line, error: 'not a JSON object' };
      } else {
        yield { line, record: value as Record<string, unknown> };
      }
    } catch {
      yield { line, error: 'not valid JSON' };
    }
  }
}

async function* readCsv(file: string): AsyncGenerator<RawRecord> {
  const parser = fs.createReadStream(file).pipe(
    parse({
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      max_record_size: MAX_LINE_CHARS,
    }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      yield { line: info.lines, record };
    }
  } catch (error) {
    // A broken quote or an oversized record stops a CSV parser: report where, keep what came before.
    const message = error instanceof Error ? error.message : String(error);
    const line = (error as { lines?: number }).lines ?? 0;
    yield { line, error: `unreadable CSV, import stopped here: ${message}` };
  }
}
