import { expect, it } from 'vitest';
import { DAY_MS } from '../clock.js';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import { updateSettings } from '../settings/update-settings.js';
import { describeEachDatabase } from '../test/context.js';
import { seedCategoryBranch, seedProduct, seedStore } from '../test/factories.js';
import { categoryTable } from './category-table.js';
import { rateFor as queryRateFor, type RateOptions } from './rate-for.js';
import { createRateResolver } from './rate-resolver.js';
import { setCommissionRate } from './set-commission-rate.js';
import { setEnrollment } from './set-enrollment.js';

describeEachDatabase('commission plans and rateFor', (t) => {
  /** rateFor, checked against the batch resolver: both must give the same answer every time. */
  async function rateFor(db: Db, productId: string, at: Date, options?: RateOptions) {
    const decision = await queryRateFor(db, productId, at, options);
    const resolver = await createRateResolver(db, t());
    expect(await resolver.rateFor(productId, at, options)).toEqual(decision);
    return decision;
  }

  async function enrolledProduct() {
    const ctx = t();
    const branch = await seedCategoryBranch(ctx);
    const storeId = await seedStore(ctx);
    const product = await seedProduct(ctx, storeId, branch.leaf);
    await setEnrollment(ctx, { storeId, scope: 'store', enrolled: true });
    return { ctx, branch, storeId, product };
  }

  it('pays nothing for a product of a store that never enrolled', async () => {
    const ctx = t();
    const branch = await seedCategoryBranch(ctx);
    const storeId = await seedStore(ctx);
    const product = await seedProduct(ctx, storeId, branch.leaf);
    await setCommissionRate(ctx, { scope: 'store', storeId, rateBp: 800 });
    const decision = await rateFor(ctx.db, product.productId, ctx.clock.now());
    expect(decision.rateBp).toBe(0);
    expect(decision.rule.kind).toBe('not_enrolled');
  });

  it('takes the most specific rate: product > category > store default', async () => {
    const { ctx, branch, storeId, product } = await enrolledProduct();
    await setCommissionRate(ctx, { scope: 'store', storeId, rateBp: 500 });
    expect((await rateFor(ctx.db, product.productId, ctx.clock.now())).rule.kind).toBe(
      'store_default',
    );
    await setCommissionRate(ctx, { scope: 'category', storeId, targetId: branch.mid, rateBp: 650 });
    const byCategory = await rateFor(ctx.db, product.productId, ctx.clock.now());
    expect([byCategory.rateBp, byCategory.rule.kind]).toEqual([650, 'category']);
    await setCommissionRate(ctx, {
      scope: 'product',
      storeId,
      targetId: product.productId,
      rateBp: 1200,
    });
    const byProduct = await rateFor(ctx.db, product.productId, ctx.clock.now());
    expect([byProduct.rateBp, byProduct.rule.kind]).toEqual([1200, 'product']);
    expect(byProduct.explanation).toContain('12.00%');
  });

  it('keeps the old rate before a scheduled change and the new one from its date', async () => {
    const { ctx, storeId, product } = await enrolledProduct();
    const now = ctx.clock.now();
    await setCommissionRate(ctx, { scope: 'store', storeId, rateBp: 500 });
    const from = new Date(now.getTime() + 10 * DAY_MS);
    await setCommissionRate(ctx, { scope: 'store', storeId, rateBp: 900, effectiveFrom: from });
    expect((await rateFor(ctx.db, product.productId, new Date(from.getTime() - 1))).rateBp).toBe(
      500,
    );
    expect((await rateFor(ctx.db, product.productId, from)).rateBp).toBe(900);
    expect((await rateFor(ctx.db, product.productId, new Date(now.getTime() - 1))).rateBp).toBe(0);
  });

  it('uses the operator category table in fixed_category mode', async () => {
    const { ctx, branch, storeId, product } = await enrolledProduct();
    await setCommissionRate(ctx, { scope: 'store', storeId, rateBp: 3000 });
    await setCommissionRate(ctx, { scope: 'program_category', targetId: branch.top, rateBp: 700 });
    const from = new Date(ctx.clock.now().getTime() + 1000);
    await updateSettings(ctx, {
      values: { commissionMode: 'fixed_category' },
      effectiveFrom: from,
    });
    const fixed = await rateFor(ctx.db, product.productId, from);
    expect([fixed.rateBp, fixed.mode, fixed.rule.kind]).toEqual([
      700,
      'fixed_category',
      'program_category',
    ]);
    expect((await rateFor(ctx.db, product.productId, ctx.clock.now())).rateBp).toBe(3000);
    await updateSettings(ctx, {
      values: { commissionMode: 'seller_rates' },
      effectiveFrom: new Date(from.getTime() + 1),
    });
  });

  it('pays a hot rate through hot links only, and refuses one that is not above normal', async () => {
    const { ctx, storeId, product } = await enrolledProduct();
    await setCommissionRate(ctx, { scope: 'store', storeId, rateBp: 800 });
    await expect(
      setCommissionRate(ctx, { scope: 'hot_product', targetId: product.productId, rateBp: 800 }),
    ).rejects.toMatchObject({
      code: 'hot_rate_not_above_normal',
    });
    await setCommissionRate(ctx, {
      scope: 'hot_product',
      targetId: product.productId,
      rateBp: 2000,
    });
    expect((await rateFor(ctx.db, product.productId, ctx.clock.now())).rateBp).toBe(800);
    expect((await rateFor(ctx.db, product.productId, ctx.clock.now(), { hot: true })).rateBp).toBe(
      2000,
    );
  });

  it('withdraws a category or a product from the program', async () => {
    const { ctx, branch, storeId, product } = await enrolledProduct();
    await setCommissionRate(ctx, { scope: 'store', storeId, rateBp: 800 });
    await setEnrollment(ctx, { storeId, scope: 'category', targetId: branch.mid, enrolled: false });
    expect((await rateFor(ctx.db, product.productId, ctx.clock.now())).rule.kind).toBe(
      'not_enrolled',
    );
    await setEnrollment(ctx, {
      storeId,
      scope: 'product',
      targetId: product.productId,
      enrolled: true,
    });
    expect((await rateFor(ctx.db, product.productId, ctx.clock.now())).rateBp).toBe(800);
  });

  it('rejects out-of-bounds, past-dated and malformed rules with clear errors and writes nothing', async () => {
    const { ctx, branch, storeId, product } = await enrolledProduct();
    const count = async () =>
      (await ctx.db.selectFrom('commission_rules').select('id').execute()).length;
    const before = await count();
    const bad: [Parameters<typeof setCommissionRate>[1], string][] = [
      [{ scope: 'store', storeId, rateBp: 349 }, 'rate_out_of_bounds'],
      [{ scope: 'store', storeId, rateBp: 5001 }, 'rate_out_of_bounds'],
      [{ scope: 'program_category', targetId: branch.top, rateBp: 1300 }, 'rate_out_of_bounds'],
      [{ scope: 'store', storeId, rateBp: 12.5 }, 'invalid_request'],
      [
        {
          scope: 'store',
          storeId,
          rateBp: 500,
          effectiveFrom: new Date(ctx.clock.now().getTime() - DAY_MS),
        },
        'effective_date_in_past',
      ],
      [{ scope: 'store', storeId: 'nope', rateBp: 500 }, 'store_not_found'],
      [{ scope: 'category', storeId, targetId: 'nope', rateBp: 500 }, 'category_not_found'],
      [{ scope: 'product', targetId: 'nope', rateBp: 500 }, 'product_not_found'],
      [{ scope: 'category', storeId, rateBp: 500 }, 'invalid_request'],
      [
        { scope: 'program_category', storeId, targetId: branch.top, rateBp: 800 },
        'invalid_request',
      ],
      [
        { scope: 'product', storeId: 'other-store', targetId: product.productId, rateBp: 800 },
        'invalid_request',
      ],
    ];
    for (const [input, code] of bad) {
      await expect(setCommissionRate(ctx, input), JSON.stringify(input)).rejects.toMatchObject({
        code,
      });
    }
    expect(await count()).toBe(before);
  });

  it('answers product_not_found for an unknown product', async () => {
    await expect(rateFor(t().db, 'no-such-product', t().clock.now())).rejects.toBeInstanceOf(
      AppError,
    );
  });
});

describeEachDatabase('the operator category table', (t) => {
  it('lists the newest rate of each category in force, leaving removed ones out', async () => {
    const ctx = t();
    const a = await seedCategoryBranch(ctx);
    const b = await seedCategoryBranch(ctx);
    await setCommissionRate(ctx, { scope: 'program_category', targetId: a.top, rateBp: 700 });
    await setCommissionRate(ctx, { scope: 'program_category', targetId: a.top, rateBp: 800 });
    await setCommissionRate(ctx, { scope: 'program_category', targetId: b.top, rateBp: 1200 });
    await setCommissionRate(ctx, { scope: 'program_category', targetId: b.top, rateBp: null });
    const later = new Date(ctx.clock.now().getTime() + DAY_MS);
    await setCommissionRate(ctx, {
      scope: 'program_category',
      targetId: a.mid,
      rateBp: 900,
      effectiveFrom: later,
    });
    const now = await categoryTable(ctx.db, ctx.clock.now());
    expect(
      now
        .filter((r) => [a.top, b.top, a.mid].includes(r.categoryId))
        .map((r) => [r.categoryId, r.rateBp]),
    ).toEqual([[a.top, 800]]);
    const then = await categoryTable(ctx.db, later);
    expect(then.find((r) => r.categoryId === a.mid)?.rateBp).toBe(900);
  });
});
