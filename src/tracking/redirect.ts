import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Clock } from '../clock.js';
import { ulid } from '../lib/ulid.js';
import type { Logger } from '../log.js';
import { HSTS } from '../security/transport-headers.js';
import type { SettingsCache } from '../settings/settings-cache.js';
import { isBotUserAgent } from './bots.js';
import type { ClickEvent } from './click.js';
import type { ClickRecorder } from './click-recorder.js';
import type { IpSalts } from './ip-salts.js';
import type { CachedLink, LinkCache } from './link-cache.js';
import { CODE_PATTERN } from './short-code.js';

export type RedirectDeps = {
  links: LinkCache;
  recorder: ClickRecorder;
  salts: IpSalts;
  settings: SettingsCache;
  clock: Clock;
  log: Logger;
  /** Lower-case name of the header carrying the visitor's country, e.g. cf-ipcountry. */
  countryHeader: string;
  /** Take the visitor's address from X-Forwarded-For (only behind a proxy you run). */
  trustProxy: boolean;
  /** Served over https (AFFNET_PUBLIC_URL): the click cookie is marked Secure. */
  secureCookie: boolean;
};

export type RedirectCounts = { redirects: number; notFound: number };

const MAX_SUB_CHARS = 100;
const MAX_USER_AGENT_CHARS = 512;
const MAX_REFERRER_CHARS = 1024;
const CONTROL_CHARS = /\p{Cc}/gu;
const COUNTRY = /^[A-Za-z]{2}$/;
const SUB_SLOTS: Record<string, number> = {
  'sub1=': 0,
  'sub2=': 1,
  'sub3=': 2,
  'sub4=': 3,
  'sub5=': 4,
};
const NOT_FOUND_PAGE = Buffer.from(
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
    '<title>Link not found</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem">' +
    '<h1>This link is not active</h1><p>The link you followed does not exist or has been switched off by its owner.</p></body></html>',
);

/**
 * The redirect hot path, as a bare node:http handler in front of Fastify: `GET|HEAD /c/:code`
 * answers 302 to the destination with the click id (and sub-ids) appended and sets the
 * click cookie; the click goes to the recorder's buffer and the response never waits for
 * a database. Only a code not yet in the link cache costs one query.
 */
export function createRedirectHandler(deps: RedirectDeps): {
  handle(req: IncomingMessage, res: ServerResponse): void;
  counts: RedirectCounts;
} {
  const counts: RedirectCounts = { redirects: 0, notFound: 0 };
  const cookieAttributes = `; Path=/; HttpOnly; SameSite=Lax${deps.secureCookie ? '; Secure' : ''}`;

  const answer = (req: IncomingMessage, res: ServerResponse, link: CachedLink, query: string) => {
    const now = deps.clock.now();
    const clickedAt = now.toISOString();
    const id = ulid(now.getTime());
    const subs: ClickEvent['subs'] = [null, null, null, null, null];
    let location = `${link.base}${link.separator}aff_click_id=${id}`;
    if (query.includes('sub')) {
      // Only sub1…sub5 matter here: a scan for them costs less than a full URLSearchParams.
      for (const pair of query.split('&', 32)) {
        const slot = SUB_SLOTS[pair.slice(0, 5)];
        if (slot === undefined) continue;
        const value = decodeParam(pair.slice(5))?.replace(CONTROL_CHARS, '').trim();
        // An overlong, undecodable or empty sub-id is dropped; the redirect still happens.
        if (!value || value.length > MAX_SUB_CHARS || subs[slot] !== null) continue;
        subs[slot] = value;
      }
      for (let i = 0; i < subs.length; i += 1) {
        if (subs[i] !== null)
          location += `&aff_sub${i + 1}=${encodeURIComponent(subs[i] as string)}`;
      }
    }
    location += link.fragment;
    const userAgent = header(req, 'user-agent', MAX_USER_AGENT_CHARS);
    const country = req.headers[deps.countryHeader];
    deps.recorder.record({
      id,
      clickedAt,
      linkId: link.id,
      affiliateId: link.affiliateId,
      trackingId: link.trackingId,
      subs,
      ipHash: deps.salts.hashIp(visitorAddress(req, deps.trustProxy), clickedAt.slice(0, 10)),
      userAgent,
      referrer: header(req, 'referer', MAX_REFERRER_CHARS),
      country: typeof country === 'string' && COUNTRY.test(country) ? country.toUpperCase() : null,
      isBot: isBotUserAgent(userAgent ?? undefined),
    });
    const maxAge = deps.settings.current.attributionWindowDays * 86_400;
    const headers: OutgoingHttpHeaders = {
      location,
      'set-cookie': `affnet_click=${id}; Max-Age=${maxAge}${cookieAttributes}`,
      'cache-control': 'no-store',
      'content-length': '0',
    };
    if (deps.secureCookie) headers['strict-transport-security'] = HSTS;
    res.writeHead(302, headers);
    res.end();
    counts.redirects += 1;
  };

  const notFound = (req: IncomingMessage, res: ServerResponse) => {
    counts.notFound += 1;
    res.writeHead(404, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': NOT_FOUND_PAGE.length,
    });
    res.end(req.method === 'HEAD' ? undefined : NOT_FOUND_PAGE);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-length': '0' });
      res.end();
      return;
    }
    const url = req.url as string;
    const queryAt = url.indexOf('?', 3);
    const code = queryAt === -1 ? url.slice(3) : url.slice(3, queryAt);
    const query = queryAt === -1 ? '' : url.slice(queryAt + 1);
    if (!CODE_PATTERN.test(code)) return notFound(req, res);
    const cached = deps.links.peek(code);
    if (cached) return answer(req, res, cached, query);
    if (cached === null) return notFound(req, res);
    deps.links.load(code).then(
      (link) => (link ? answer(req, res, link, query) : notFound(req, res)),
      (error: unknown) => {
        deps.log.error({ err: error }, 'link lookup failed');
        res.writeHead(503, { 'retry-after': '1', 'content-length': '0' });
        res.end();
      },
    );
  };

  return { handle, counts };
}

/** A query-string value decoded as URLSearchParams would (+ is a space); undefined if malformed. */
function decodeParam(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.includes('+') ? raw.replaceAll('+', ' ') : raw);
  } catch {
    return undefined;
  }
}

function header(req: IncomingMessage, name: string, maxChars: number): string | null {
  const value = req.headers[name];
  if (typeof value !== 'string' || value === '') return null;
  return value.length > maxChars ? value.slice(0, maxChars) : value;
}

function visitorAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined;
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
