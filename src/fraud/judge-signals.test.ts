import { describe, expect, it } from 'vitest';
import { settingSchemas } from '../settings/schema.js';
import { burstWindow, visitorWindow } from './click-windows.js';
import {
  judgeClickFlood,
  judgeClickInjection,
  judgeCookieStuffing,
  judgeRefundRate,
  type SignalRules,
} from './judge-signals.js';

const defaults = Object.fromEntries(
  Object.entries(settingSchemas)
    .filter(([key]) => key.startsWith('fraud'))
    .map(([key, schema]) => [key, schema.parse(undefined)]),
) as SignalRules;

describe('fraud signal defaults', () => {
  it('are the documented ones', () => {
    expect(defaults).toEqual({
      fraudClickInjectionSeconds: 10,
      fraudClickFloodPerVisitor: 30,
      fraudCookieStuffingClicks: 50,
      fraudCookieStuffingVisitors: 20,
      fraudCookieStuffingWindowSeconds: 600,
      fraudRefundRateBp: 3000,
      fraudRefundRateMinOrders: 20,
      fraudRefundRateDays: 30,
    });
  });
});

describe('click injection: paid less than 10 s after the click', () => {
  const clickedAt = new Date('2026-03-01T12:00:00.000Z');
  const later = (ms: number) => new Date(clickedAt.getTime() + ms);
  it.each([
    [0, true],
    [9_000, true],
    [9_999, true],
    [10_000, false],
    [10_001, false],
    [3_600_000, false],
  ])('%i ms after → flagged %s', (ms, flagged) => {
    expect(judgeClickInjection(later(ms), clickedAt, defaults) !== undefined).toBe(flagged);
  });
  it('says how soon, in seconds', () => {
    expect(judgeClickInjection(later(4_200), clickedAt, defaults)).toEqual({
      signal: 'click_injection',
      reason: 'the order was paid 4.2 s after its click',
    });
  });
  it('is off at 0', () => {
    expect(judgeClickInjection(later(0), clickedAt, { fraudClickInjectionSeconds: 0 })).toBe(
      undefined,
    );
  });
});

describe('click flood: 30 or more clicks from one visitor in 24 h', () => {
  it.each([
    [1, false],
    [29, false],
    [30, true],
    [31, true],
  ])('%i clicks → flagged %s', (clicks, flagged) => {
    expect(judgeClickFlood(clicks, defaults) !== undefined).toBe(flagged);
  });
  it('says how many, in the 24 h before the order', () => {
    expect(judgeClickFlood(37, defaults)?.reason).toBe(
      "37 clicks from one visitor on the affiliate's links in the 24 h before the order",
    );
  });
  it('is off at 0', () => {
    expect(judgeClickFlood(1000, { fraudClickFloodPerVisitor: 0 })).toBe(undefined);
  });
  it('counts the 24 h up to the payment', () => {
    const click = {
      affiliateId: 'aff_1',
      clickedAt: '2026-03-01T11:00:00.000Z',
      ipHash: 'h',
      hasReferrer: true,
    };
    expect(visitorWindow(click, new Date('2026-03-01T12:00:00.000Z'))).toEqual({
      affiliateId: 'aff_1',
      ipHash: 'h',
      from: '2026-02-28T12:00:00.000Z',
      to: '2026-03-01T12:00:00.000Z',
    });
  });
});

describe('cookie stuffing: 50 clicks without a referrer from 20 visitors around the click', () => {
  it.each([
    [{ clicks: 49, visitors: 49 }, false],
    [{ clicks: 50, visitors: 19 }, false],
    [{ clicks: 50, visitors: 20 }, true],
    [{ clicks: 51, visitors: 21 }, true],
    [undefined, false],
  ])('%o → flagged %s', (burst, flagged) => {
    expect(judgeCookieStuffing(burst, defaults) !== undefined).toBe(flagged);
  });
  it('says how many, from how many visitors, within how long', () => {
    expect(judgeCookieStuffing({ clicks: 64, visitors: 60 }, defaults)?.reason).toBe(
      "the order's click came without a referrer, among 64 such clicks on the affiliate's links from 60 visitors within 10 minutes around it",
    );
  });
  it('says "at least" when the count stopped at the thresholds', () => {
    expect(judgeCookieStuffing({ clicks: 50, visitors: 20, atLeast: true }, defaults)?.reason).toBe(
      "the order's click came without a referrer, among at least 50 such clicks on the affiliate's links from at least 20 visitors within 10 minutes around it",
    );
  });
  it('is off at 0', () => {
    expect(
      judgeCookieStuffing(
        { clicks: 500, visitors: 500 },
        { ...defaults, fraudCookieStuffingClicks: 0 },
      ),
    ).toBe(undefined);
  });
  it('looks only at clicks without a referrer, in the window centred on the click', () => {
    const click = {
      affiliateId: 'aff_1',
      clickedAt: '2026-03-01T12:00:00.000Z',
      ipHash: 'h',
      hasReferrer: false,
    };
    expect(burstWindow(click, defaults)).toEqual({
      affiliateId: 'aff_1',
      from: '2026-03-01T11:55:00.000Z',
      to: '2026-03-01T12:05:00.000Z',
      enoughClicks: 50,
      enoughVisitors: 20,
    });
    expect(burstWindow({ ...click, hasReferrer: true }, defaults)).toBe(undefined);
  });
});

describe('refund rate: 30 % or more of at least 20 sub-orders', () => {
  it.each([
    [{ subOrders: 19, refunded: 19 }, false],
    [{ subOrders: 20, refunded: 5 }, false],
    [{ subOrders: 20, refunded: 6 }, true],
    [{ subOrders: 21, refunded: 6 }, false],
    [{ subOrders: 100, refunded: 29 }, false],
    [{ subOrders: 100, refunded: 30 }, true],
    [{ subOrders: 100, refunded: 31 }, true],
    [{ subOrders: 0, refunded: 0 }, false],
  ])('%o → flagged %s', (stats, flagged) => {
    expect(judgeRefundRate(stats, defaults) !== undefined).toBe(flagged);
  });
  it('says how many of how many, over how long', () => {
    expect(judgeRefundRate({ subOrders: 40, refunded: 14 }, defaults)?.reason).toBe(
      "14 of the affiliate's 40 sub-orders paid in the last 30 days were refunded in full or cancelled (35.0%)",
    );
  });
  it('is off at 0', () => {
    expect(
      judgeRefundRate({ subOrders: 100, refunded: 100 }, { ...defaults, fraudRefundRateBp: 0 }),
    ).toBe(undefined);
  });
});
