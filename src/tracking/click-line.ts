import type { ClickEvent } from './click.js';

/**
 * A click as one line of tab-separated text: how the redirect's thread holds clicks until
 * they are written, how it hands a batch to the writer thread (one byte array, copied in a
 * single step, instead of thousands of objects cloned one by one) and how clicks are kept
 * in a spill file. An absent value is an empty field; a tab or line break inside a value
 * (only a user agent, referrer or sub-id could hold one) is stored as a space.
 */
const FIELDS = 15;
const SEPARATOR = /[\t\n\r]/;
const SEPARATORS = /[\t\n\r]/g;

export function encodeClick(c: ClickEvent): string {
  const [s1, s2, s3, s4, s5] = c.subs;
  return `${c.id}\t${c.clickedAt}\t${c.linkId}\t${c.affiliateId}\t${c.trackingId}\t${text(s1)}\t${text(s2)}\t${text(s3)}\t${text(s4)}\t${text(s5)}\t${c.ipHash}\t${text(c.userAgent)}\t${text(c.referrer)}\t${text(c.country)}\t${c.isBot ? '1' : '0'}\n`;
}

/** The clicks of whole lines of `encodeClick` output; a malformed line is an error. */
export function decodeClicks(lines: string): ClickEvent[] {
  const clicks: ClickEvent[] = [];
  let at = 0;
  while (at < lines.length) {
    let end = lines.indexOf('\n', at);
    if (end === -1) end = lines.length;
    const f = lines.slice(at, end).split('\t');
    if (f.length !== FIELDS || (f[14] !== '0' && f[14] !== '1') || !f[0] || !f[1] || !f[2])
      throw new Error(`malformed click line: ${JSON.stringify(lines.slice(at, end))}`);
    clicks.push({
      id: f[0],
      clickedAt: f[1],
      linkId: f[2],
      affiliateId: f[3] as string,
      trackingId: f[4] as string,
      subs: [orNull(f[5]), orNull(f[6]), orNull(f[7]), orNull(f[8]), orNull(f[9])],
      ipHash: f[10] as string,
      userAgent: orNull(f[11]),
      referrer: orNull(f[12]),
      country: orNull(f[13]),
      isBot: f[14] === '1',
    });
    at = end + 1;
  }
  return clicks;
}

function text(value: string | null): string {
  if (value === null) return '';
  return SEPARATOR.test(value) ? value.replace(SEPARATORS, ' ') : value;
}

function orNull(field: string | undefined): string | null {
  return field ? field : null;
}
