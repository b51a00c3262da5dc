import fc from 'fast-check';
import { expect } from 'vitest';
import type { WebAgent } from './web-agent.js';

/**
 * Text a person (or a script) might put in a form field: short and binary strings, numbers
 * out of range, markup, NUL, 70 kB of one letter, and the words a form of the caller's knows.
 */
export function formText(words: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom(
      '',
      ' ',
      '0',
      '-1',
      '1e309',
      'NaN',
      '100.001',
      '99999999999999999999999',
      '<script>x</script>',
      '%00',
      '\u0000',
      'a\u0000b',
      'https://evil.example/',
      ...words,
    ),
    fc.nat(70_000).map((n) => 'x'.repeat(n)),
  );
}

/**
 * Posts generated bodies of these fields to these forms, as `agent` (its CSRF token sent):
 * every answer must be a page or a redirect, never a 5xx. Returns the statuses seen, so the
 * caller can check the forms' own checks answered and the posts were not stopped at the door.
 */
export async function postGeneratedForms(
  agent: WebAgent,
  urls: readonly string[],
  fields: readonly string[],
  words: readonly string[],
  numRuns = 300,
): Promise<Set<number>> {
  const statuses = new Set<number>();
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...urls),
      fc.dictionary(fc.constantFrom(...fields), formText(words), { maxKeys: 8 }),
      async (url, body) => {
        const res = await agent.post(url, body);
        statuses.add(res.status);
        expect({ url, status: res.status < 500 }).toEqual({ url, status: true });
      },
    ),
    { numRuns },
  );
  return statuses;
}
