import { describe, expect, it } from 'vitest';
import { noticeFor } from './console/view.js';
import { noticeOf } from './forms.js';

// Found by the fuzz (src/api/fuzz-console.test.ts): `?done=constructor` found Object itself
// among a page's notices; the console pages failed with a 500, the portal's showed junk.
describe('the notice a ?done= names', () => {
  const notices = { saved: 'Saved.' };

  it('is one of the page’s own notices, or none', () => {
    expect(noticeOf(notices, 'saved')).toBe('Saved.');
    expect(noticeFor({ done: 'saved' }, notices)).toBe('Saved.');
    for (const done of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'nope']) {
      expect(noticeOf(notices, done)).toBeUndefined();
      expect(noticeFor({ done }, notices)).toBeUndefined();
    }
  });
});
