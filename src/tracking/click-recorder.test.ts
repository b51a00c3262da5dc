import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../test/context.js';
import { seedLink } from '../test/tracking.js';
import type { ClickEvent } from './click.js';
import { encodeClick } from './click-line.js';
import { ClickRecorder } from './click-recorder.js';
import { ClickSpill } from './click-spill.js';
import { type ClickWriter, openClickWriter } from './click-writer.js';

let n = 0;
function clicks(
  count: number,
  link: { id: string; affiliateId: string; trackingId: string },
  at: Date,
): ClickEvent[] {
  return Array.from({ length: count }, () => ({
    id: `01test${String(++n).padStart(20, '0')}`,
    clickedAt: at.toISOString(),
    linkId: link.id,
    affiliateId: link.affiliateId,
    trackingId: link.trackingId,
    subs: [null, null, null, null, null],
    ipHash: `visitor-${n}`,
    userAgent: null,
    referrer: null,
    country: null,
    isBot: false,
  }));
}

function linesOf(batch: ClickEvent[]): Buffer {
  return Buffer.from(batch.map(encodeClick).join(''));
}

/** The real writer behind a gate the test opens, or a failure it injects once. */
function gated(writer: ClickWriter) {
  let open: () => void = () => {};
  let gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let failNext = false;
  return {
    writer: {
      async write(lines: Uint8Array, options?: { replay?: boolean }) {
        await gate;
        if (failNext) {
          failNext = false;
          throw new Error('database unavailable');
        }
        return writer.write(lines, options);
      },
      close: () => writer.close(),
    } satisfies ClickWriter,
    open: () => open(),
    close: () => {
      gate = new Promise<void>((resolve) => {
        open = resolve;
      });
    },
    failOnce: () => {
      failNext = true;
    },
  };
}

describeEachDatabase('the click recorder', (t) => {
  async function setup() {
    const ctx = t();
    const { link, affiliate } = await seedLink(ctx);
    const row = await ctx.db
      .selectFrom('links')
      .select(['id', 'affiliate_id', 'tracking_id'])
      .where('code', '=', link.code)
      .executeTakeFirstOrThrow();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-recorder-'));
    const spill = new ClickSpill(dataDir, ctx.log);
    const stored = async () =>
      (
        await ctx.db
          .selectFrom('clicks')
          .select('id')
          .where('affiliate_id', '=', affiliate.id)
          .execute()
      ).length;
    const counted = async () => {
      const rows = await ctx.db
        .selectFrom('click_daily')
        .select('clicks')
        .where('affiliate_id', '=', affiliate.id)
        .execute();
      return rows.reduce((sum, r) => sum + r.clicks, 0n);
    };
    return {
      ctx,
      link: { id: row.id, affiliateId: row.affiliate_id, trackingId: row.tracking_id },
      spill,
      dataDir,
      stored,
      counted,
    };
  }

  it('spills to disk when the buffer is full, and stores every click exactly once after', async () => {
    const { ctx, link, spill, dataDir, stored, counted } = await setup();
    const gate = gated(await openClickWriter(ctx, { useWorker: false }));
    const recorder = new ClickRecorder(gate.writer, spill, ctx.log, {
      capacity: 10,
      batchSize: 4,
      flushIntervalMs: 60_000,
    });
    await recorder.start();
    for (const click of clicks(25, link, ctx.clock.now())) recorder.record(click);
    expect(recorder.counts.spilled).toBeGreaterThan(0);
    expect(spill.pending()).toHaveLength(1);
    expect(recorder.buffered).toBeLessThan(10); // memory stayed bounded
    gate.open();
    await recorder.close();
    expect(await stored()).toBe(25);
    expect(await counted()).toBe(25n);
    expect(spill.pending()).toHaveLength(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('spills a batch the database refused, and replays it once the database answers', async () => {
    const { ctx, link, spill, dataDir, stored } = await setup();
    const gate = gated(await openClickWriter(ctx, { useWorker: false }));
    gate.open();
    gate.failOnce();
    const recorder = new ClickRecorder(gate.writer, spill, ctx.log, {
      capacity: 1000,
      batchSize: 100,
      flushIntervalMs: 60_000,
    });
    await recorder.start();
    for (const click of clicks(7, link, ctx.clock.now())) recorder.record(click);
    await recorder.flush();
    expect(recorder.counts.spilled).toBe(7);
    expect(await stored()).toBe(0);
    await recorder.close();
    expect(await stored()).toBe(7);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a stop during a write that fails still stores the clicks recorded while it waited', async () => {
    const { ctx, link, spill, dataDir, stored, counted } = await setup();
    const gate = gated(await openClickWriter(ctx, { useWorker: false }));
    gate.failOnce();
    const recorder = new ClickRecorder(gate.writer, spill, ctx.log, {
      capacity: 1000,
      batchSize: 4,
      flushIntervalMs: 60_000,
    });
    await recorder.start();
    const batch = clicks(7, link, ctx.clock.now());
    // Four start a flush (held at the gate, as a write waits for a lock); three come after.
    for (const click of batch) recorder.record(click);
    expect(recorder.buffered).toBe(3);
    const closing = recorder.close();
    gate.open(); // the write fails, as a deadlocked transaction does
    await closing;
    expect(recorder.counts).toEqual({ recorded: 7, written: 7, spilled: 7 });
    expect(await stored()).toBe(7);
    expect(await counted()).toBe(7n);
    expect(spill.pending()).toHaveLength(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('replays a spill file twice without storing or counting a click twice', async () => {
    const { ctx, link, spill, dataDir, stored, counted } = await setup();
    const writer = await openClickWriter(ctx, { useWorker: false });
    const batch = linesOf(clicks(5, link, ctx.clock.now()));
    spill.append(batch, 5);
    spill.append(batch, 5); // a crash between writing and deleting the spill file
    expect(await spill.replay((c) => writer.write(c, { replay: true }))).toBe(5);
    expect(await stored()).toBe(5);
    expect(await counted()).toBe(5n);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('replays the whole lines of a spill file cut short by a crash, and files of the JSON format', async () => {
    const { ctx, link, spill, dataDir, stored } = await setup();
    const writer = await openClickWriter(ctx, { useWorker: false });
    const whole = linesOf(clicks(3, link, ctx.clock.now()));
    const torn = linesOf(clicks(1, link, ctx.clock.now())).subarray(0, 30);
    spill.append(Buffer.concat([whole, torn]), 4);
    const legacy = clicks(2, link, ctx.clock.now());
    fs.writeFileSync(
      path.join(dataDir, 'click-spill', `${process.pid}-0-legacy.ndjson`),
      `${legacy.map((c) => JSON.stringify(c)).join('\n')}\n{"id":"01torn`,
    );
    expect(await spill.replay((c) => writer.write(c, { replay: true }))).toBe(5);
    expect(await stored()).toBe(5);
    expect(spill.pending()).toHaveLength(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
