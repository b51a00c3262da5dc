import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorStatus } from './errors.js';

describe('docs/errors.md', () => {
  const doc = fs.readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

  it.each(Object.entries(errorStatus))('documents %s with HTTP %s', (code, status) => {
    expect(doc).toMatch(new RegExp(`^\\| \`${code}\` \\| ${status} \\|`, 'm'));
  });

  it('documents no code that the table lacks', () => {
    const documented = [...doc.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(errorStatus).sort());
  });
});
