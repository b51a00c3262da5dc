import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { rateFor } from '../catalog/rate-for.js';
import { DAY_MS } from '../clock.js';
import type { Ctx } from '../context.js';
import type { Database } from '../db/types.js';
import { isAppError } from '../errors.js';
import { updateSettings } from '../settings/update-settings.js';
import { describeEachDatabase } from '../test/context.js';
import { currentXid, waitForLockWaiter } from '../test/pg-locks.js';
import { seedSellerWithStore } from '../test/seller-stores.js';
import { applyRatesImport, previewRatesImport } from './import-rates.js';
import { readRatesFile } from './rates-file.js';
import { setSellerEnrollment } from './seller-enrollment.js';
import { setSellerRate } from './seller-rates.js';

const ruleCount = async (ctx: Ctx) =>
  Number(
    (
      await ctx.db
        .selectFrom('commission_rules')
        .select(({ fn }) => fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The refusal of an action: its code and details; fails the test when it is not refused. */
async function refusal(action: Promise<unknown>) {
  try {
    await action;
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { code: error.code, message: error.message, details: error.details };
  }
  throw new Error('expected the action to be refused');
}

const day = (ctx: Ctx, days: number) =>
  new Date(ctx.clock.now().getTime() + days * DAY_MS).toISOString().slice(0, 10);

describeEachDatabase('seller rates import', (t) => {
  it('previews new, raised, lowered and unchanged rates, applies them once, and skips them the second time', async () => {
    const ctx = t();
    const a = await seedSellerWithStore(ctx, { products: 4 });
    const [p1, p2, p3, p4] = a.productIds as [string, string, string, string];
    await setSellerEnrollment(ctx, a.sellerId, {
      storeId: a.storeId,
      scope: 'store',
      enrolled: true,
    });
    for (const p of [p2, p3, p4])
      await setSellerRate(ctx, a.sellerId, { scope: 'product', targetId: p, rateBp: 800 });
    const later = day(ctx, 10);
    const file = [
      'product_id,rate_bp,effective_from',
      `${p1},600,`,
      `${p2},1200,${later}`,
      `"${p3}",500,${later}T09:00:00+01:00`,
      `${p4},800,`,
    ].join('\n');

    const before = await ruleCount(ctx);
    const preview = await previewRatesImport(ctx, a.sellerId, file);
    expect(await ruleCount(ctx)).toBe(before);
    expect(
      preview.rows.map((r) => [r.line, r.productId, r.currentRateBp, r.newRateBp, r.change]),
    ).toEqual([
      [2, p1, null, 600, 'new'],
      [3, p2, 800, 1200, 'raise'],
      [4, p3, 800, 500, 'lower'],
      [5, p4, 800, 800, 'unchanged'],
    ]);
    expect(preview.rows[1]?.effectiveFrom).toBe(`${later}T00:00:00.000Z`);
    expect(preview.rows[2]?.effectiveFrom).toBe(`${later}T08:00:00.000Z`);
    expect(preview.totals).toEqual({ rows: 4, new: 1, raise: 1, lower: 1, unchanged: 1 });

    const applied = await applyRatesImport(ctx, a.sellerId, file);
    expect(applied.applied).toBe(3);
    expect(await ruleCount(ctx)).toBe(before + 3);
    expect((await rateFor(ctx.db, p1, ctx.clock.now())).rateBp).toBe(600);
    // Orders paid before the date keep the old rate; from the date on, the new one applies.
    const from = new Date(`${later}T00:00:00.000Z`);
    expect((await rateFor(ctx.db, p2, new Date(from.getTime() - 1))).rateBp).toBe(800);
    expect((await rateFor(ctx.db, p2, from)).rateBp).toBe(1200);
    const rule = await ctx.db
      .selectFrom('commission_rules')
      .select('created_by')
      .where('target_id', '=', p1)
      .executeTakeFirstOrThrow();
    expect(rule.created_by).toBe(`seller:${a.sellerId}`);

    const again = await applyRatesImport(ctx, a.sellerId, file);
    expect(again.applied).toBe(0);
    expect(again.totals.unchanged).toBe(4);
    expect(again.message).toMatch(/^nothing to apply/);
    expect(await ruleCount(ctx)).toBe(before + 3);
  });

  it('applies one of two identical files sent at once, and the other writes nothing', async (test) => {
    const ctx = t();
    if (ctx.dialect !== 'postgres') return test.skip(); // SQLite: one writer at a time anyway
    const a = await seedSellerWithStore(ctx, { products: 3 });
    await setSellerEnrollment(ctx, a.sellerId, {
      storeId: a.storeId,
      scope: 'store',
      enrolled: true,
    });
    const file = [
      'product_id,rate_bp,effective_from',
      ...a.productIds.map((p) => `${p},700,`),
    ].join('\n');
    const before = await ruleCount(ctx);
    let second: Promise<{ applied: number }> | undefined;
    const first = await (ctx.db as Kysely<Database>).transaction().execute(async (trx) => {
      const tx = { ...ctx, db: trx };
      const applied = await applyRatesImport(tx, a.sellerId, file);
      // The same file again, from another connection, while the first is not committed.
      second = applyRatesImport(ctx, a.sellerId, file);
      await waitForLockWaiter(ctx, await currentXid(tx));
      return applied;
    });
    expect(first.applied).toBe(3);
    expect((await second)?.applied).toBe(0);
    expect(await ruleCount(ctx)).toBe(before + 3);
  });

  it('lists every bad row with its line and reason, and applies nothing', async () => {
    const ctx = t();
    const a = await seedSellerWithStore(ctx, { products: 2 });
    const b = await seedSellerWithStore(ctx, { products: 1 });
    const [p1, p2] = a.productIds as [string, string];
    const file = [
      'product_id,rate_bp,effective_from',
      `${p1},700,`, // 2: good
      `${b.productIds[0]},700,`, // 3: another seller's product
      'no-such-product,700,', // 4: unknown product
      `${p2},6000,`, // 5: above the bounds
      `${p2},12.5,`, // 6: not whole basis points
      `${p2},700,next tuesday`, // 7: not a date
      `${p2},700,2020-01-01`, // 8: in the past
      `${p1},900,`, // 9: p1 from now twice
      `${p2},700`, // 10: two fields
      `${p2},"70"0,`, // 11: malformed quotes
      `${p2},800,${day(ctx, 3)}`, // 12: good
    ].join('\r\n');
    const before = await ruleCount(ctx);
    const refused = await refusal(applyRatesImport(ctx, a.sellerId, file));
    expect(refused.code).toBe('invalid_rates_file');
    expect(refused.message).toMatch(/^9 bad rows; nothing applied/);
    const details = refused.details as { line: number; field?: string; reason: string }[];
    expect(details.map((d) => [d.line, d.field])).toEqual([
      [3, 'product_id'],
      [4, 'product_id'],
      [5, 'rate_bp'],
      [6, 'rate_bp'],
      [7, 'effective_from'],
      [8, 'effective_from'],
      [9, undefined],
      [10, undefined],
      [11, undefined],
    ]);
    // Another seller's product reads exactly as an unknown one.
    expect(details[0]?.reason).toBe(`product ${b.productIds[0]} is not in any of your stores`);
    expect(details[1]?.reason).toBe('product no-such-product is not in any of your stores');
    expect(details[2]?.reason).toContain("outside the program's bounds (3.50%–50.00%)");
    expect(details[5]?.reason).toContain('in the past');
    expect(details[6]?.reason).toContain('already on line 2');
    expect(details[7]?.reason).toContain('2 fields, expected 3');
    expect(details[8]?.reason).toContain('malformed line');
    expect(await ruleCount(ctx)).toBe(before);
    // The preview refuses the same file with the same rows.
    expect((await refusal(previewRatesImport(ctx, a.sellerId, file))).details).toEqual(details);
  });

  it('refuses a file without its header, an empty one, and any file in fixed_category mode', async () => {
    const ctx = t();
    const a = await seedSellerWithStore(ctx, { products: 1 });
    const p = a.productIds[0] as string;
    const noHeader = await refusal(applyRatesImport(ctx, a.sellerId, `${p},700,\n`));
    expect(noHeader.details).toEqual([
      { line: 1, reason: 'the first line must be the header product_id,rate_bp,effective_from' },
    ]);
    const empty = await refusal(
      applyRatesImport(ctx, a.sellerId, 'product_id,rate_bp,effective_from\n'),
    );
    expect(empty.code).toBe('invalid_rates_file');

    const before = await ruleCount(ctx);
    const switchAt = new Date(ctx.clock.now().getTime() + 5 * DAY_MS);
    await updateSettings(ctx, {
      values: { commissionMode: 'fixed_category' },
      effectiveFrom: switchAt,
    });
    try {
      const late = await refusal(
        applyRatesImport(
          ctx,
          a.sellerId,
          `product_id,rate_bp,effective_from\n${p},700,${day(ctx, 6)}\n`,
        ),
      );
      expect(late.code).toBe('invalid_rates_file');
      expect((late.details as { reason: string }[])[0]?.reason).toContain('fixed_category');
      ctx.clock.set(new Date(switchAt.getTime() + 1));
      const now = await refusal(
        applyRatesImport(ctx, a.sellerId, `product_id,rate_bp,effective_from\n${p},700,\n`),
      );
      expect(now.code).toBe('rates_set_by_program');
    } finally {
      await updateSettings(ctx, { values: { commissionMode: 'seller_rates' } });
    }
    expect(await ruleCount(ctx)).toBe(before);
  });
});

describeEachDatabase('seller changes on a clock that moves', (t) => {
  it('takes a rate or enrollment change for now even when time passes between its checks', async () => {
    const base = t();
    let ms = base.clock.now().getTime();
    // Every reading is a millisecond later, as a real clock between two queries.
    const now = () => {
      ms += 1;
      return new Date(ms);
    };
    const ctx = { ...base, clock: { now } };
    const a = await seedSellerWithStore(ctx, { products: 1 });
    const p = a.productIds[0] as string;
    await setSellerEnrollment(ctx, a.sellerId, {
      storeId: a.storeId,
      scope: 'store',
      enrolled: true,
    });
    await setSellerRate(ctx, a.sellerId, { scope: 'product', targetId: p, rateBp: 700 });
    const done = await applyRatesImport(
      ctx,
      a.sellerId,
      `product_id,rate_bp,effective_from\n${p},800,\n`,
    );
    expect(done.applied).toBe(1);
    expect((await rateFor(ctx.db, p, ctx.clock.now())).rateBp).toBe(800);
  });
});

describe('readRatesFile limits', () => {
  it('refuses a file over 50,000 rows or 5 MiB as a whole, at line 1', () => {
    const header = 'product_id,rate_bp,effective_from';
    const many = [header, ...Array.from({ length: 50_001 }, (_, i) => `p${i},700,`)].join('\n');
    expect(readRatesFile(many).problems).toEqual([
      { line: 1, reason: '50001 rows: at most 50000 a file' },
    ]);
    const big = `${header}\np1,700,${' '.repeat(5 * 1024 * 1024)}\n`;
    expect(readRatesFile(big).problems).toEqual([
      { line: 1, reason: 'the file is over 5 MiB: split it' },
    ]);
    expect(readRatesFile(`${header}\np1,700,2026-02-30\n`).problems[0]?.field).toBe(
      'effective_from',
    );
    expect(readRatesFile(`${header}\np1,700,2026-12-01T09:00:00\n`).problems[0]?.field).toBe(
      'effective_from',
    );
  });
});
