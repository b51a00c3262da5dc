import type { ClickPool } from './click-pool.js';
import type { HttpClient } from './http-client.js';
import type { SoakLink } from './setup.js';
import type { Verdict } from './stream-stats.js';

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
];
const SUB1 = ['newsletter', 'banner-top', 'video-42', null] as const;
/**
 * Each affiliate's audience: the visitors who click its links, again and again over the
 * run. Few enough that every (visitor, link) pair is in the click writer's unique window
 * early on, so that the window (bounded at 500,000 pairs, held for an hour) has stopped
 * growing before the memory is judged: with ever-new visitors it would fill towards its
 * bound through the whole run.
 */
export const AUDIENCE = 2500;

/**
 * The address of the visitor behind click i, one of the link's affiliate's audience, in
 * 198.18.0.0/15 (the range set aside for benchmarks).
 */
export function visitorAddress(i: number, affiliate: number): string {
  const shuffled = Math.imul(i, 2_654_435_761) >>> 0; // Knuth's multiplicative hash
  const v = affiliate * AUDIENCE + (shuffled % AUDIENCE);
  return `198.${18 + ((v >> 16) & 1)}.${(v >> 8) & 255}.${v & 255}`;
}

/**
 * Request i of the click stream: GET /c/:code over the links in turn, as browsers send it
 * through the proxy in front of affnet (the server runs with AFFNET_TRUST_PROXY=true): the
 * visitor's address in X-Forwarded-For, a browser's user agent (a bot's click is never
 * attributed), a country header, a referring page for three clicks in four (the rest come
 * from apps and e-mail), sometimes a sub1. Expected: a 302 whose Location carries the
 * click id, which goes to the pool for the orders.
 */
export function clickRequest(
  client: HttpClient,
  links: readonly SoakLink[],
  pool: ClickPool,
): (i: number) => Promise<Verdict> {
  return async (i) => {
    const link = links[i % links.length] as SoakLink;
    const sub1 = SUB1[i % SUB1.length];
    const headers: Record<string, string> = {
      'user-agent': USER_AGENTS[i % USER_AGENTS.length] as string,
      'x-forwarded-for': visitorAddress(i, link.affiliate),
      'cf-ipcountry': i % 3 === 0 ? 'DE' : 'US',
    };
    if (i % 4 !== 0)
      headers.referer = `https://publisher-${link.affiliate}.example/post/${i % 1000}`;
    const answer = await client.request(
      'GET',
      `/c/${link.code}${sub1 ? `?sub1=${sub1}` : ''}`,
      headers,
    );
    if (answer.status !== 302) return `HTTP ${answer.status}`;
    const clickId = /[?&]aff_click_id=([0-9a-z]+)/i.exec(answer.headers.location ?? '')?.[1];
    if (!clickId) return '302 without aff_click_id';
    pool.add(clickId, performance.now());
    return undefined;
  };
}
