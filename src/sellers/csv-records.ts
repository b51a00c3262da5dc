/** One CSV record, with the line it starts on; or the problem of a malformed one. */
export type CsvRecord = { line: number; cells: string[] } | { line: number; error: string };

/** Records per file at most, whatever the caller's own limit: the loop's bound. */
const MAX_RECORDS = 1_000_000;

/**
 * Splits CSV text (RFC 4180: `,` between fields, `"` around a field that holds commas,
 * quotes or line breaks, `""` for a quote inside one) into records, each with the line it
 * starts on. A malformed record — a quote inside an unquoted field, text after a closing
 * quote, a quote never closed — is reported and reading goes on at the next line, so that
 * every bad line of a file is found, not only the first (csv-parse loses its place after
 * one). Empty lines are skipped; a leading byte-order mark is dropped.
 */
export function csvRecords(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  while (i < src.length && out.length < MAX_RECORDS) {
    const start = { i, line };
    const cells: string[] = [];
    let error: string | undefined;
    let cell = '';
    let quoted = false;
    let done = false;
    while (!done && !error) {
      if (i >= src.length) {
        cells.push(cell);
        break;
      }
      const c = src[i] as string;
      if (c === '"' && cell === '' && !quoted) {
        // A quoted field: up to its closing quote, across line breaks.
        let j = i + 1;
        let value = '';
        let lines = 0;
        for (;;) {
          const k = src.indexOf('"', j);
          if (k < 0) {
            error = 'a quote is opened and never closed';
            break;
          }
          value += src.slice(j, k);
          if (src[k + 1] === '"') {
            value += '"';
            j = k + 2;
            continue;
          }
          lines += countBreaks(src, i, k);
          i = k + 1;
          break;
        }
        if (error) break;
        line += lines;
        cell = value;
        quoted = true;
        const next = src[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r')
          error = `text after a closing quote (${JSON.stringify(next)})`;
        continue;
      }
      if (c === ',') {
        cells.push(cell);
        cell = '';
        quoted = false;
        i += 1;
      } else if (c === '\n' || c === '\r') {
        cells.push(cell);
        i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
        line += 1;
        done = true;
      } else if (c === '"') {
        error = 'a quote inside a field that does not start with one';
      } else {
        cell += c;
        i += 1;
      }
    }
    if (error) {
      out.push({ line: start.line, error });
      // Go on at the line after the one the record started on.
      const nl = src.indexOf('\n', start.i);
      i = nl < 0 ? src.length : nl + 1;
      line = start.line + 1;
      continue;
    }
    if (!(cells.length === 1 && cells[0] === '' && !quoted)) out.push({ line: start.line, cells });
  }
  return out;
}

function countBreaks(src: string, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k += 1) {
    if (src[k] === '\n' || (src[k] === '\r' && src[k + 1] !== '\n')) n += 1;
  }
  return n;
}
