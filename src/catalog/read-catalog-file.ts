import fs from 'node:fs';
import readline from 'node:readline';
import Papa from 'papaparse';
import { AppError } from '../errors.js';
import { IMPORT_COLUMNS } from './product-cells.js';

/** A row of an import file as cells in IMPORT_COLUMNS order, or why it could not be read. */
export type RawRecord = { line: number; cells: unknown[] } | { line: number; error: string };

const MAX_LINE_CHARS = 64 * 1024;
const MAX_COLUMNS = 64;
const CHUNK_ROWS = 1000;

/**
 * Yields the rows of a CSV (header row first) or JSON-lines file in chunks, each with its
 * line number. Unknown columns are ignored; a CSV row whose cells do not match the header
 * is reported, not guessed.
 */
export function readCatalogFile(file: string): AsyncGenerator<RawRecord[]> {
  return /\.(jsonl|ndjson|json)$/i.test(file) ? readJsonLines(file) : readCsv(file);
}

async function* readJsonLines(file: string): AsyncGenerator<RawRecord[]> {
  const lines = readline.createInterface({
    input: fs.createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let line = 0;
  let chunk: RawRecord[] = [];
  for await (const text of lines) {
    line += 1;
    if (text.trim() !== '') chunk.push(parseJsonLine(line, text));
    if (chunk.length >= CHUNK_ROWS) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

function parseJsonLine(line: number, text: string): RawRecord {
  if (text.length > MAX_LINE_CHARS)
    return { line, error: `line is longer than ${MAX_LINE_CHARS} characters` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { line, error: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { line, error: 'not a JSON object' };
  const record = value as Record<string, unknown>;
  return {
    line,
    cells: IMPORT_COLUMNS.map((column) =>
      Object.hasOwn(record, column) ? record[column] : undefined,
    ),
  };
}

// PapaParse: several times faster than csv-parse here, which alone could not reach 50,000 rows/s.
async function* readCsv(file: string): AsyncGenerator<RawRecord[]> {
  let columnOf: number[] | undefined; // header position → IMPORT_COLUMNS position, -1 if unknown
  let width = 0;
  let nextLine = 1;
  for await (const rows of csvChunks(file)) {
    const chunk: RawRecord[] = [];
    for (const row of rows) {
      const line = nextLine;
      nextLine += 1 + newlinesIn(row);
      if (row.length === 1 && row[0] === '') continue; // an empty line
      if (!columnOf) {
        columnOf = headerMap(row);
        width = row.length;
        continue;
      }
      if (row.length !== width) {
        chunk.push({
          line,
          error: `${row.length} cells where the header has ${width} (a stray quote or comma?)`,
        });
        continue;
      }
      const cells: unknown[] = new Array(IMPORT_COLUMNS.length);
      for (let i = 0; i < width; i += 1) {
        const column = columnOf[i] as number;
        if (column >= 0) cells[column] = row[i];
      }
      chunk.push({ line, cells });
    }
    if (chunk.length > 0) yield chunk;
  }
}

function headerMap(header: string[]): number[] {
  if (header.length > MAX_COLUMNS)
    throw new AppError('invalid_request', `the header has more than ${MAX_COLUMNS} columns`);
  const names = header.map((h) => h.trim().toLowerCase());
  for (const required of ['product_id', 'title', 'price_minor', 'currency', 'url', 'store_id']) {
    if (!names.includes(required))
      throw new AppError(
        'invalid_request',
        `the header has no ${required} column (it has: ${names.join(', ')})`,
      );
  }
  return names.map((name) => (IMPORT_COLUMNS as readonly string[]).indexOf(name));
}

function newlinesIn(cells: string[]): number {
  let count = 0;
  for (const cell of cells) {
    if (cell.length === 0 || !cell.includes('\n')) continue;
    for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) count += 1;
  }
  return count;
}

/** PapaParse's push-style chunks as a pull-style iterator: the parser pauses until asked. */
async function* csvChunks(file: string): AsyncGenerator<string[][]> {
  const queue: string[][][] = [];
  let parser: Papa.Parser | undefined;
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  Papa.parse<string[]>(fs.createReadStream(file, 'utf8') as unknown as Papa.LocalFile, {
    skipEmptyLines: false,
    chunk(results, p) {
      parser = p;
      queue.push(results.data);
      p.pause();
      wake?.();
    },
    complete() {
      finished = true;
      wake?.();
    },
    error(error: unknown) {
      failure = error;
      finished = true;
      wake?.();
    },
  });
  for (;;) {
    const next = queue.shift();
    if (next) {
      yield next;
      if (queue.length === 0 && !finished) parser?.resume();
      continue;
    }
    if (finished) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = undefined;
  }
  if (failure) throw failure;
}
