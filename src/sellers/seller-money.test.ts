import { expect, it } from 'vitest';
import { DAY_MS } from '../clock.js';
import { runDueJobs } from '../jobs/run-due-jobs.js';
import { auditLedger } from '../ledger/audit-ledger.js';
import { describeEachDatabase, type TestContext } from '../test/context.js';
import { accept, event, paidEvent, seedClickedProduct } from '../test/orders.js';
import { sellerOrders, sellerReport } from './seller-reports.js';
import { sellerOrdersCsv, sellerReportCsv } from './seller-reports-csv.js';
import { sellerStatement } from './seller-statement.js';
import { sellerStatementCsv } from './seller-statement-csv.js';

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const chunk of chunks) all += chunk;
  return all;
}

async function codeOf(action: Promise<unknown>): Promise<string> {
  try {
    await action;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  throw new Error('expected the action to be refused');
}

let P = '';

describeEachDatabase('sellers: reports and the statement', (t) => {
  /** A seller with one product, an affiliate's click on it, and `orders` paid a day apart. */
  async function sellerWithOrders(ctx: TestContext, prefix: string) {
    const seeded = await seedClickedProduct(ctx);
    const store = await ctx.db
      .selectFrom('stores')
      .select('seller_id')
      .where('id', '=', seeded.storeId)
      .executeTakeFirstOrThrow();
    const pay = (orderId: string) =>
      accept(
        ctx,
        paidEvent(ctx, { orderId, productId: seeded.product.productId, clickId: seeded.clickId }),
      );
    return { ...seeded, sellerId: store.seller_id, pay, prefix };
  }
  const confirm = (ctx: TestContext, orderId: string) =>
    accept(
      ctx,
      event(ctx, 'order.receipt_confirmed', {
        order_id: orderId,
        confirmed_at: ctx.clock.now().toISOString(),
      }),
    );
  const refund = (ctx: TestContext, orderId: string, amountMinor: number) =>
    accept(
      ctx,
      event(ctx, 'order.refunded', {
        order_id: orderId,
        sub_order_id: `${orderId}-1`,
        amount_minor: amountMinor,
      }),
    );

  /** Seller A: day 1 one order settled; day 2 one estimated and one refunded in full. */
  let round = 0;
  async function world(ctx: TestContext) {
    round += 1;
    P = `w${round}`;
    const start = ctx.clock.now();
    const a = await sellerWithOrders(ctx, 'a');
    const b = await sellerWithOrders(ctx, 'b');
    await a.pay(`${P}a-1`);
    await b.pay(`${P}b-1`);
    await confirm(ctx, `${P}a-1`);
    await confirm(ctx, `${P}b-1`);
    await runDueJobs(ctx);
    ctx.clock.advance(DAY_MS);
    await a.pay(`${P}a-2`);
    await a.pay(`${P}a-3`);
    await refund(ctx, `${P}a-3`, 3998);
    const range = { from: start, to: new Date(start.getTime() + 3 * DAY_MS) };
    return { a, b, range, day1: start.toISOString().slice(0, 10) };
  }

  it("reports a seller's affiliate orders per day, product and category, and no other seller's", async () => {
    const ctx = t();
    const { a, b, range, day1 } = await world(ctx);
    const days = await sellerReport(ctx, a.sellerId, 'day', range);
    const day2 = new Date(Date.parse(day1) + DAY_MS).toISOString().slice(0, 10);
    expect(days).toEqual([
      {
        key: day1,
        label: day1,
        orders: 1,
        subOrders: 1,
        salesMinor: 3998n,
        estimatedMinor: 0n,
        settledMinor: 320n,
        invalidMinor: 0n,
        currency: 'USD',
      },
      {
        key: day2,
        label: day2,
        orders: 2,
        subOrders: 2,
        salesMinor: 7996n,
        estimatedMinor: 320n,
        settledMinor: 0n,
        invalidMinor: 320n,
        currency: 'USD',
      },
    ]);
    const products = await sellerReport(ctx, a.sellerId, 'product', range);
    expect(products).toMatchObject([
      { key: a.product.productId, label: a.product.title, orders: 3, salesMinor: 11994n },
    ]);
    const categories = await sellerReport(ctx, a.sellerId, 'category', range);
    expect(categories).toMatchObject([{ key: a.product.categoryId, orders: 3 }]);
    expect(categories[0]?.label).not.toBe(a.product.categoryId);
    // Seller B sees its own order only, and A's store is not B's to filter by.
    expect(await sellerReport(ctx, b.sellerId, 'product', range)).toMatchObject([
      { key: b.product.productId, orders: 1 },
    ]);
    expect(
      await codeOf(sellerReport(ctx, b.sellerId, 'day', { ...range, storeId: a.storeId })),
    ).toBe('store_not_found');
    expect(
      await codeOf(sellerReport(ctx, a.sellerId, 'day', { from: range.to, to: range.from })),
    ).toBe('invalid_request');
    const csv = await sellerReportCsv(ctx, a.sellerId, 'day', range);
    expect(csv.split('\r\n')).toEqual([
      'day,day_label,orders,sub_orders,sales,commission_estimated,commission_settled,commission_invalid,currency',
      `${day1},${day1},1,1,39.98,0.00,3.20,0.00,USD`,
      `${day2},${day2},2,2,79.96,3.20,0.00,3.20,USD`,
      '',
    ]);
  });

  it('lists the orders a page at a time with the rate each was locked at', async () => {
    const ctx = t();
    const { a, b, range } = await world(ctx);
    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 5; i += 1) {
      const page = await sellerOrders(ctx, a.sellerId, {
        ...range,
        limit: 1,
        ...(after ? { after } : {}),
      });
      seen.push(...page.rows.map((r) => `${r.subOrderId} ${r.status} ${r.rateBp}`));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toEqual([
      `${P}a-1-1 completed_settlement 800`,
      `${P}a-2-1 payment_completed 800`,
      `${P}a-3-1 invalid 800`,
    ]);
    const page = await sellerOrders(ctx, b.sellerId, { ...range, limit: 100 });
    expect(page.rows.map((r) => r.subOrderId)).toEqual([`${P}b-1-1`]);
    expect(await codeOf(sellerOrders(ctx, a.sellerId, { ...range, after: 'nope', limit: 5 }))).toBe(
      'invalid_request',
    );
    const csv = await text(await sellerOrdersCsv(ctx, a.sellerId, range));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'paid_at,order_id,sub_order_id,store_id,product_id,product_title,status,sales,rate_percent,commission,commission_settled,currency',
    );
    expect(lines[1]).toMatch(/a-1,w\d+a-1-1,.*,completed_settlement,39\.98,8\.00,3\.20,3\.20,USD$/);
    expect(lines).toHaveLength(5);
  });

  it('keeps a running balance of releases and corrections across pages', async () => {
    const ctx = t();
    const { a, b } = await world(ctx);
    await confirm(ctx, `${P}a-2`);
    await runDueJobs(ctx);
    await refund(ctx, `${P}a-1`, 1999);
    await a.pay(`${P}a-4`);
    await confirm(ctx, `${P}a-4`);
    await runDueJobs(ctx);
    const whole = await sellerStatement(ctx, a.sellerId, { limit: 100 });
    expect(whole.currency).toBe('USD');
    expect(
      whole.lines.map((l) => [
        l.subOrderId,
        l.kind,
        l.saleMinor,
        l.commissionMinor,
        l.amountMinor,
        l.balanceMinor,
      ]),
    ).toEqual([
      [`${P}a-1-1`, 'release', 3998n, 320n, 3678n, 3678n],
      [`${P}a-2-1`, 'release', 3998n, 320n, 3678n, 7356n],
      [`${P}a-1-1`, 'correction', -1999n, -160n, -1839n, 5517n],
      [`${P}a-4-1`, 'release', 3998n, 320n, 3678n, 9195n],
    ]);
    expect(whole.balanceMinor).toBe(9195n);
    expect(whole.next).toBeNull();
    const paged: bigint[] = [];
    let after: string | undefined;
    for (let i = 0; i < 10; i += 1) {
      const page = await sellerStatement(ctx, a.sellerId, {
        limit: 3,
        ...(after ? { after } : {}),
      });
      paged.push(...page.lines.map((l) => l.balanceMinor));
      expect(page.balanceMinor).toBe(9195n);
      if (!page.next) break;
      after = page.next;
    }
    expect(paged).toEqual([3678n, 7356n, 5517n, 9195n]);
    // Seller B's statement holds its own release only.
    const other = await sellerStatement(ctx, b.sellerId, { limit: 100 });
    expect(other.lines.map((l) => l.subOrderId)).toEqual([`${P}b-1-1`]);
    expect(await codeOf(sellerStatement(ctx, b.sellerId, { limit: 5, after: 'x' }))).toBe(
      'invalid_request',
    );
    const csv = (await text(await sellerStatementCsv(ctx, a.sellerId))).split('\r\n');
    expect(csv[0]).toBe(
      'at,transfer_id,kind,order_id,sub_order_id,product_id,sale,commission,amount,balance,currency',
    );
    expect(csv[3]).toMatch(/,correction,w\d+a-1,w\d+a-1-1,.*,-19\.99,-1\.60,-18\.39,55\.17,USD$/);
    expect((await auditLedger(ctx.db)).violations).toEqual([]);
  });
});
