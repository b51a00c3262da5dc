import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { ClickEvent } from './click.js';
import { decodeClicks, encodeClick } from './click-line.js';

const value = fc.option(fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }), {
  nil: null,
});
const click: fc.Arbitrary<ClickEvent> = fc.record({
  id: fc.stringMatching(/^[0-9a-z]{26}$/),
  clickedAt: fc.constant('2026-11-26T10:00:00.000Z'),
  linkId: fc.constant('lnk_01'),
  affiliateId: fc.constant('aff_01'),
  trackingId: fc.stringMatching(/^[a-z0-9_]{1,20}$/),
  subs: fc.tuple(value, value, value, value, value),
  ipHash: fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
  userAgent: value,
  referrer: value,
  country: fc.option(fc.constantFrom('DE', 'FR', 'ES'), { nil: null }),
  isBot: fc.boolean(),
});
/** What a line keeps of a value: tabs and line breaks become spaces. */
const kept = (v: string | null) => (v === null ? null : v.replace(/[\t\n\r]/g, ' '));

it('a click survives its line, tabs and line breaks in free text turned into spaces', () => {
  fc.assert(
    fc.property(fc.array(click, { maxLength: 5 }), (clicks) => {
      expect(decodeClicks(clicks.map(encodeClick).join(''))).toEqual(
        clicks.map((c) => ({
          ...c,
          subs: c.subs.map(kept),
          userAgent: kept(c.userAgent),
          referrer: kept(c.referrer),
        })),
      );
    }),
  );
});

it('refuses a malformed line rather than storing half a click', () => {
  expect(() => decodeClicks('01abc\t2026-11-26T10:00:00.000Z\tlnk_01\n')).toThrow(
    /malformed click line/,
  );
});
