import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { createLogger } from '../log.js';
import type { ClickEvent } from './click.js';
import { createRedirectHandler, type RedirectDeps } from './redirect.js';

// The handler alone, with its collaborators reduced to what it reads: what it writes to
// the response and hands the recorder is the behaviour under test here.
function answer(secureCookie: boolean, url: string) {
  const recorded: ClickEvent[] = [];
  const link = {
    id: 'lnk_1',
    affiliateId: 'aff_1',
    trackingId: 'trk_1',
    base: 'https://shop.example/item/1.html',
    separator: '?' as const,
    fragment: '#reviews',
  };
  const deps = {
    links: { peek: () => link },
    recorder: { record: (click: ClickEvent) => recorded.push(click) },
    salts: { hashIp: () => 'hashed' },
    settings: { current: { attributionWindowDays: 15 } },
    clock: new ManualClock('2026-05-01T10:00:00.000Z'),
    log: createLogger('silent'),
    countryHeader: 'cf-ipcountry',
    trustProxy: false,
    secureCookie,
  } as unknown as RedirectDeps;
  let status = 0;
  let headers: Record<string, string> = {};
  const res = {
    writeHead(code: number, h: Record<string, string>) {
      status = code;
      headers = h;
    },
    end() {},
  } as unknown as ServerResponse;
  const req = {
    method: 'GET',
    url,
    headers: {},
    socket: { remoteAddress: '198.51.100.4' },
  } as unknown as IncomingMessage;
  createRedirectHandler(deps).handle(req, res);
  return { status, headers, recorded };
}

describe('the redirect response', () => {
  it('marks the cookie Secure over https, with the window of the settings as its lifetime', () => {
    const plain = answer(false, '/c/abc123');
    expect(plain.headers['set-cookie']).toMatch(
      /^affnet_click=[0-9a-z]{26}; Max-Age=1296000; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    const secure = answer(true, '/c/abc123');
    expect(secure.headers['set-cookie']).toMatch(/; Secure$/);
  });

  it('keeps the destination fragment last and stamps the click with the injected clock', () => {
    const { status, headers, recorded } = answer(false, '/c/abc123?sub1=x');
    expect(status).toBe(302);
    expect(headers.location).toMatch(
      /^https:\/\/shop\.example\/item\/1\.html\?aff_click_id=[0-9a-z]{26}&aff_sub1=x#reviews$/,
    );
    expect(recorded[0]).toMatchObject({
      clickedAt: '2026-05-01T10:00:00.000Z',
      ipHash: 'hashed',
      subs: ['x', null, null, null, null],
    });
  });
});
