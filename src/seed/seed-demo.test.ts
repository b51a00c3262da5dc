import { beforeAll, expect, it } from 'vitest';
import { checkPassword } from '../auth/check-password.js';
import { auditLedger } from '../ledger/audit-ledger.js';
import { verifyOrderRollups } from '../reports/verify-order-rollups.js';
import { sellerOfUser } from '../sellers/seller-access.js';
import { describeEachDatabase } from '../test/context.js';
import { shippingMethods } from './demo-catalog.js';
import { type DemoSeedResult, isDatabaseEmpty, seedDemo } from './seed-demo.js';

describeEachDatabase('the demo program with its history', (t) => {
  let seeded: DemoSeedResult;
  const steps: string[] = [];

  beforeAll(async () => {
    // 40 days always hold a payout day (the 20th) and the bank's answer two days later.
    seeded = await seedDemo(t(), {
      baseUrl: 'http://127.0.0.1:4321',
      days: 40,
      productsPerStore: 8,
      clicksPerDay: 1_200,
      onProgress: (_done, _total, step) => {
        if (steps.at(-1) !== step) steps.push(step);
      },
    });
  }, 120_000);

  it('makes the program, its people and its history, and reports its steps', async () => {
    expect(seeded).toMatchObject({ products: 400, stores: 50, categories: 104, affiliates: 25 });
    expect(seeded.history).toMatchObject({ days: 40, failedTransfers: 1 });
    expect(seeded.history?.orders).toBeGreaterThan(300);
    expect(seeded.history?.payoutRuns).toBeGreaterThanOrEqual(1);
    expect(steps).toEqual(['catalog', 'affiliates', 'history']);
    expect(await isDatabaseEmpty(t().db)).toBe(false);
  });

  it("gives the first store's seller a seller-center login", async () => {
    const user = await checkPassword(t(), seeded.seller.email, seeded.seller.password);
    expect(user?.role).toBe('seller');
    expect(await sellerOfUser(t().db, user?.id ?? '')).toBe(seeded.seller.sellerId);
    expect(seeded.seller).toMatchObject({ email: 'seller@affnet.local', storeId: '1100000' });
  });

  it('leaves a ledger that passes the audit and rollups that equal the sub-orders', async () => {
    expect(await auditLedger(t().db)).toMatchObject({ violations: [] });
    expect(await verifyOrderRollups(t())).toMatchObject({ differenceCount: 0 });
  });

  it('walks orders through every state, over every shipping method, with refunds both sides of settlement', async () => {
    const db = t().db;
    const statuses = (await db.selectFrom('sub_orders').select('status').distinct().execute()).map(
      (r) => r.status,
    );
    // Receipt confirmed and not settled: the cheating affiliate's orders, held for review.
    expect(statuses.sort()).toEqual([
      'buyer_confirmed_receipt',
      'completed_settlement',
      'invalid',
      'payment_completed',
    ]);
    const open = await db
      .selectFrom('order_flags')
      .select(['signal'])
      .where('resolved_at', 'is', null)
      .execute();
    expect(open.map((f) => f.signal).sort()).toEqual([
      ...Array(6).fill('click_flood'),
      ...Array(3).fill('click_injection'),
    ]);
    const methods = (
      await db.selectFrom('orders').select('shipping_method').distinct().execute()
    ).map((r) => r.shipping_method);
    expect(methods.sort()).toEqual([...shippingMethods].sort());
    const codes = (await db.selectFrom('ledger_transfers').select('code').distinct().execute()).map(
      (r) => r.code,
    );
    expect(codes).toEqual(
      expect.arrayContaining([
        'commission',
        'commission_settlement',
        'commission_invalid',
        'clawback',
      ]),
    );
    const events = (await db.selectFrom('merchant_events').select('type').distinct().execute()).map(
      (r) => r.type,
    );
    expect(events.sort()).toEqual([
      'order.cancelled',
      'order.dispute_closed',
      'order.dispute_opened',
      'order.paid',
      'order.receipt_confirmed',
      'order.refunded',
      'order.shipped',
    ]);
  });

  it('pays last month out, one transfer refused by the bank and given back', async () => {
    const withdrawals = await t()
      .db.selectFrom('withdrawals')
      .select(['state', 'reason_code'])
      .execute();
    expect(withdrawals.filter((w) => w.state === 'failed')).toEqual([
      { state: 'failed', reason_code: 'AC04' },
    ]);
    expect(withdrawals.filter((w) => w.state === 'succeeded').length).toBeGreaterThan(0);
  });
});
