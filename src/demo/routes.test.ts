import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOperator } from '../auth/create-operator.js';
import { issueOperatorToken } from '../auth/operator-tokens.js';
import { DAY_MS, OffsetClock } from '../clock.js';
import { type App, buildApp } from '../server.js';
import { describeEachDatabase, TEST_START } from '../test/context.js';
import { accept, paidEvent, seedClickedProduct } from '../test/orders.js';
import { readClockOffset, writeClockOffset } from './clock-offset.js';

describeEachDatabase('the demo controls', (t) => {
  let app: App;
  let plain: App;
  let token: string;
  let clock: OffsetClock;
  let flushes = 0;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-demo-clock-'));
  const call = (method: 'GET' | 'POST', url: string, payload?: object, auth = true) =>
    app.inject({
      method,
      url: `/api/operator/v1/demo${url}`,
      headers: auth ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });

  beforeAll(async () => {
    clock = new OffsetClock(0, t().clock);
    const ctx = { ...t(), clock };
    app = await buildApp(ctx, {
      demoControls: {
        clock,
        saveOffset: (ms) => writeClockOffset(dataDir, ms),
        flushClicks: async () => {
          flushes += 1;
        },
      },
    });
    plain = await buildApp(t());
    await createOperator(ctx, { email: 'ops@example.com', password: 'a long password' });
    token = (await issueOperatorToken(ctx, 'ops@example.com')).token;
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('answers only an operator, and only on a demo server', async () => {
    expect((await call('GET', '/clock', undefined, false)).statusCode).toBe(401);
    expect((await call('POST', '/clock', { advance_seconds: 60 }, false)).statusCode).toBe(401);
    const elsewhere = await plain.inject({
      method: 'GET',
      url: '/api/operator/v1/demo/clock',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(elsewhere.statusCode).toBe(404);
    expect(clock.offsetMs).toBe(0);
  });

  it('moves the clock ahead after writing the clicks held, and keeps the offset', async () => {
    expect((await call('GET', '/clock')).json()).toEqual({ now: TEST_START, offset_ms: 0 });
    const before = flushes;
    const moved = await call('POST', '/clock', { advance_seconds: 86_400 });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toEqual({ now: '2026-03-02T12:00:00.000Z', offset_ms: DAY_MS });
    expect(flushes).toBe(before + 1);
    expect(readClockOffset(dataDir)).toBe(DAY_MS);
    // The services read the same clock.
    expect(t().clock.now().toISOString()).toBe(TEST_START);
    expect(clock.now().toISOString()).toBe('2026-03-02T12:00:00.000Z');
  });

  it.each([
    [{ advance_seconds: 0 }],
    [{ advance_seconds: -60 }],
    [{ advance_seconds: 1.5 }],
    [{ advance_seconds: '60' }],
    [{ advance_seconds: 401 * 86_400 }],
    [{ advance_seconds: 60, extra: true }],
    [{}],
  ])('refuses %j and leaves the clock alone', async (body) => {
    const offset = clock.offsetMs;
    const refused = await call('POST', '/clock', body);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: { code: 'invalid_request' } });
    expect(clock.offsetMs).toBe(offset);
    expect(readClockOffset(dataDir)).toBe(offset);
  });

  it('runs the due jobs at the moved time: an order confirmed settles', async () => {
    const ctx = { ...t(), clock };
    const { product, clickId } = await seedClickedProduct(ctx);
    await accept(
      ctx,
      paidEvent(ctx, { orderId: 'demo-jobs-1', productId: product.productId, clickId }),
    );
    const noteOf = (type: string, data: object) => ({
      id: `evt-demo-jobs-${type}`,
      type,
      created_at: clock.now().toISOString(),
      data: { order_id: 'demo-jobs-1', ...data },
    });
    await accept(
      ctx,
      noteOf('order.receipt_confirmed', { confirmed_at: clock.now().toISOString() }),
    );
    const run = await call('POST', '/jobs/run', {});
    expect(run.statusCode).toBe(200);
    expect(run.json()).toMatchObject({
      now: clock.now().toISOString(),
      settled: 1,
      seller_releases: 1,
    });
    expect((await call('POST', '/clicks/flush', {})).json()).toEqual({ ok: true });
  });
});

it('OffsetClock never goes back, and a kept offset must be a number of milliseconds', () => {
  const clock = new OffsetClock(5);
  expect(() => clock.advance(0)).toThrow(RangeError);
  expect(() => clock.advance(-1)).toThrow(RangeError);
  expect(() => new OffsetClock(-1)).toThrow(RangeError);
  clock.advance(10);
  expect(clock.offsetMs).toBe(15);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-demo-offset-'));
  try {
    expect(readClockOffset(dir)).toBe(0);
    fs.writeFileSync(path.join(dir, 'demo-clock-offset'), 'soon');
    expect(() => readClockOffset(dir)).toThrow(/whole number of milliseconds/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
