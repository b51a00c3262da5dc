import { describe, expect, it } from 'vitest';
import { csvRecords } from './csv-records.js';

describe('csvRecords', () => {
  it('reads quoted fields with commas, quotes and line breaks, and numbers records by their first line', () => {
    const text = '\ufeffa,b\r\n"x, y","say ""hi"""\n\n"two\nlines",z\nlast,';
    expect(csvRecords(text)).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 4, cells: ['two\nlines', 'z'] },
      { line: 6, cells: ['last', ''] },
    ]);
  });

  it('reports every malformed line and goes on at the next one', () => {
    const text = 'a,b\nx,7"0\ny,"70"0\nz,1\n"open,1\nq,2\n';
    expect(csvRecords(text)).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, error: 'a quote inside a field that does not start with one' },
      { line: 3, error: 'text after a closing quote ("0")' },
      { line: 4, cells: ['z', '1'] },
      { line: 5, error: 'a quote is opened and never closed' },
      { line: 6, cells: ['q', '2'] },
    ]);
  });
});
