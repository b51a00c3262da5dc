import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setAffiliateStatus } from '../affiliates/set-affiliate-status.js';
import { describeEachDatabase } from '../test/context.js';
import { seedLink, startTestServer } from '../test/tracking.js';
import { attributeClick } from './attribute-click.js';
import { clickStats } from './click-stats.js';
import { setLinkStatus } from './set-link-status.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const browser =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

describeEachDatabase('the redirect and click capture', (t) => {
  let server: Server;
  let seeded: Awaited<ReturnType<typeof seedLink>>;
  beforeAll(async () => {
    seeded = await seedLink(t());
    server = await startTestServer(t());
  });
  afterAll(async () => {
    await server.close();
  });
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    fetch(`${server.url}${path}`, {
      method,
      redirect: 'manual',
      headers: { 'user-agent': browser, ...headers },
    });
  const stored = async (id: string) => {
    await server.tracking.recorder.flush();
    return t().db.selectFrom('clicks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  };

  it('answers 302 with the click id and sub-ids, the click cookie and no-store', async () => {
    const res = await get(
      `/c/${seeded.link.code}?sub1=summer&sub3=${encodeURIComponent('a b&c')}&sub2=${'x'.repeat(101)}&other=1`,
      { 'cf-ipcountry': 'fr', referer: 'https://blog.example/post' },
    );
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') as string);
    expect(`${location.origin}${location.pathname}`).toBe(seeded.product.url);
    const clickId = location.searchParams.get('aff_click_id') as string;
    expect(clickId).toMatch(/^[0-9a-z]{26}$/);
    expect(location.searchParams.get('aff_sub1')).toBe('summer');
    expect(location.searchParams.get('aff_sub2')).toBeNull(); // over 100 characters: dropped
    expect(location.searchParams.get('aff_sub3')).toBe('a b&c');
    expect(res.headers.get('set-cookie')).toBe(
      `affnet_click=${clickId}; Max-Age=${30 * 86_400}; Path=/; HttpOnly; SameSite=Lax`,
    );
    expect(res.headers.get('cache-control')).toBe('no-store');

    const click = await stored(clickId);
    expect(click).toMatchObject({
      link_id: seeded.link.id,
      affiliate_id: seeded.affiliate.id,
      sub1: 'summer',
      sub2: null,
      sub3: 'a b&c',
      country: 'FR',
      referrer: 'https://blog.example/post',
      user_agent: browser,
      is_bot: 0n,
      is_unique: 1n,
    });
    expect(click.ip_hash).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(click.ip_hash).not.toContain('127.0.0.1');
  });

  it('drops an undecodable sub-id and keeps the rest, with + read as a space', async () => {
    const res = await get(
      `/c/${seeded.link.code}?sub1=%E0%A4%A&sub2=two+words&sub2=ignored&sub5=%F0%9F%98%80`,
    );
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') as string);
    expect(location.searchParams.get('aff_sub1')).toBeNull();
    expect(location.searchParams.get('aff_sub2')).toBe('two words');
    expect(location.searchParams.get('aff_sub5')).toBe('😀');
  });

  it('answers HEAD like GET, without a body', async () => {
    const res = await get(`/c/${seeded.link.code}`, {}, 'HEAD');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toContain('aff_click_id=');
  });

  it('counts the same visitor on the same link once an hour, and bots never', async () => {
    const ctx = t();
    const first = await get(`/c/${seeded.link.code}`);
    const second = await get(`/c/${seeded.link.code}`);
    ctx.clock.advance(61 * 60 * 1000);
    const third = await get(`/c/${seeded.link.code}`);
    const bot = await get(`/c/${seeded.link.code}`, {
      'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    });
    expect(bot.status).toBe(302); // crawlers are still redirected
    const ids = [first, second, third, bot].map(
      (r) =>
        new URL(r.headers.get('location') as string).searchParams.get('aff_click_id') as string,
    );
    const clicks = await Promise.all(ids.map(stored));
    expect(clicks.map((c) => [c.is_unique, c.is_bot])).toEqual([
      [0n, 0n], // the visitor clicked in the first test, minutes before
      [0n, 0n],
      [1n, 0n],
      [0n, 1n],
    ]);
  });

  it('remembers the last hour of visitors across a restart', async () => {
    const before = await get(`/c/${seeded.link.code}`);
    expect(before.status).toBe(302);
    await server.tracking.recorder.flush();
    const restarted = await startTestServer(t());
    try {
      const res = await fetch(`${restarted.url}/c/${seeded.link.code}`, {
        redirect: 'manual',
        headers: { 'user-agent': browser },
      });
      const id = new URL(res.headers.get('location') as string).searchParams.get(
        'aff_click_id',
      ) as string;
      await restarted.tracking.recorder.flush();
      const click = await t()
        .db.selectFrom('clicks')
        .select('is_unique')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(click.is_unique).toBe(0n);
    } finally {
      await restarted.close();
    }
  });

  it('keeps rollups equal to the raw clicks, by day, tracking id, sub1 and country', async () => {
    const ctx = t();
    await server.tracking.recorder.flush();
    const raw = await ctx.db
      .selectFrom('clicks')
      .selectAll()
      .where('affiliate_id', '=', seeded.affiliate.id)
      .execute();
    const people = raw.filter((c) => c.is_bot === 0n);
    const range = { affiliateId: seeded.affiliate.id, from: '2020-01-01', to: '2030-01-01' };
    const byDay = await clickStats(ctx.db, {
      ...range,
      from: '2026-01-01',
      to: '2026-12-31',
      by: 'day',
    });
    expect(byDay.reduce((n, r) => n + r.clicks, 0n)).toBe(BigInt(people.length));
    expect(byDay.reduce((n, r) => n + r.uniqueClicks, 0n)).toBe(
      BigInt(people.filter((c) => c.is_unique === 1n).length),
    );
    expect(byDay.reduce((n, r) => n + r.botClicks, 0n)).toBe(BigInt(raw.length - people.length));
    const byTracking = await clickStats(ctx.db, {
      ...range,
      from: '2026-01-01',
      to: '2026-12-31',
      by: 'tracking_id',
    });
    expect(byTracking).toEqual([
      expect.objectContaining({ key: 'default', clicks: BigInt(people.length) }),
    ]);
    const bySub = await clickStats(ctx.db, {
      ...range,
      from: '2026-01-01',
      to: '2026-12-31',
      by: 'sub1',
    });
    expect(bySub.find((r) => r.key === 'summer')?.clicks).toBe(1n);
    const byCountry = await clickStats(ctx.db, {
      ...range,
      from: '2026-01-01',
      to: '2026-12-31',
      by: 'country',
    });
    expect(byCountry.find((r) => r.key === 'FR')?.clicks).toBe(1n);
    await expect(
      clickStats(ctx.db, { ...range, from: '2026-02-01', to: '2026-01-01', by: 'day' }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('answers unknown, disabled and malformed codes with a 404 page, other methods with 405', async () => {
    const ctx = t();
    for (const path of [
      '/c/nope1234',
      '/c/',
      '/c/%FF%FE',
      '/c/abc/def',
      `/c/${'a'.repeat(300)}`,
      '/c/ab%00cd',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
    }
    expect((await get(`/c/${seeded.link.code}`, {}, 'POST')).status).toBe(405);
    await setLinkStatus(ctx, seeded.link.code, 'disabled');
    await server.tracking.links.poll();
    expect((await get(`/c/${seeded.link.code}`)).status).toBe(404);
    await setLinkStatus(ctx, seeded.link.code, 'active');
    await server.tracking.links.poll();
    expect((await get(`/c/${seeded.link.code}`)).status).toBe(302);
  });

  it('answers a request with huge headers with 431, never a 500', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${server.url}/c/${seeded.link.code}`);
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          headers: { 'x-big': 'x'.repeat(64 * 1024) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode as number);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(431);
  });

  it('attributes a click inside the window, and says why not otherwise', async () => {
    const ctx = t();
    const res = await get(`/c/${seeded.link.code}?sub1=attr`);
    const clickId = new URL(res.headers.get('location') as string).searchParams.get(
      'aff_click_id',
    ) as string;
    await server.tracking.recorder.flush();
    const clickedAt = ctx.clock.now().getTime();
    const at = (days: number) => new Date(clickedAt + days * 86_400_000);
    const inside = await attributeClick(ctx.db, clickId, at(29.9));
    expect(inside).toMatchObject({
      attributed: true,
      windowDays: 30,
      click: {
        id: clickId,
        affiliateId: seeded.affiliate.id,
        subs: ['attr', null, null, null, null],
      },
    });
    expect(await attributeClick(ctx.db, clickId, at(30))).toMatchObject({ attributed: true });
    expect(await attributeClick(ctx.db, clickId, at(30.01))).toMatchObject({
      attributed: false,
      reason: 'expired',
    });
    expect(await attributeClick(ctx.db, clickId, at(-0.01))).toMatchObject({
      attributed: false,
      reason: 'click_after_payment',
    });
    expect(await attributeClick(ctx.db, '01aaaaaaaaaaaaaaaaaaaaaaaa', at(1))).toMatchObject({
      attributed: false,
      reason: 'unknown_click',
    });
    const bot = await get(`/c/${seeded.link.code}`, { 'user-agent': 'facebookexternalhit/1.1' });
    const botId = new URL(bot.headers.get('location') as string).searchParams.get(
      'aff_click_id',
    ) as string;
    await server.tracking.recorder.flush();
    expect(await attributeClick(ctx.db, botId, at(1))).toMatchObject({
      attributed: false,
      reason: 'bot_click',
    });
    await setAffiliateStatus(ctx, seeded.affiliate.id, 'suspended');
    expect(await attributeClick(ctx.db, clickId, at(1))).toMatchObject({
      attributed: false,
      reason: 'affiliate_not_approved',
    });
    await setAffiliateStatus(ctx, seeded.affiliate.id, 'approved');
  });
});
