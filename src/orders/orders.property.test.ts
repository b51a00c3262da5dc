import fc from 'fast-check';
import { expect, it } from 'vitest';
import { DAY_MS } from '../clock.js';
import { runDueJobs } from '../jobs/run-due-jobs.js';
import { affiliateBalance } from '../ledger/affiliate-balance.js';
import { auditLedger } from '../ledger/audit-ledger.js';
import { getDashboard } from '../reports/get-dashboard.js';
import { verifyOrderRollups } from '../reports/verify-order-rollups.js';
import { describeEachDatabase, type TestContext } from '../test/context.js';
import { paidEvent, seedClickedProduct } from '../test/orders.js';
import { ingestEvent } from './ingest-event.js';

const PAID_MINOR = 3998; // two items at 19.99

type Step =
  | { type: 'order.shipped'; day: number; method: 'DHL' | 'CHINA_POST' }
  | { type: 'order.receipt_confirmed'; day: number }
  | { type: 'order.dispute_opened'; day: number; dispute: string }
  | { type: 'order.dispute_closed'; day: number; dispute: string; refund: number }
  | { type: 'order.refunded'; day: number; amount: number }
  | { type: 'order.cancelled'; day: number };

// A story of one order, in two phases (before and after a job run). Refunds stay within
// what was paid, so no event is refused in one delivery order and accepted in another.
const phase = (fromDay: number) =>
  fc.array(
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({
          type: fc.constant('order.shipped' as const),
          day: fc.integer({ min: fromDay, max: fromDay + 4 }),
          method: fc.constantFrom('DHL' as const, 'CHINA_POST' as const),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          type: fc.constant('order.receipt_confirmed' as const),
          day: fc.integer({ min: fromDay, max: fromDay + 40 }),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          type: fc.constant('order.dispute_opened' as const),
          day: fc.integer({ min: fromDay, max: fromDay + 4 }),
          dispute: fc.constantFrom('d1', 'd2'),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          type: fc.constant('order.dispute_closed' as const),
          day: fc.integer({ min: fromDay + 5, max: fromDay + 9 }),
          dispute: fc.constantFrom('d1', 'd2'),
          refund: fc.integer({ min: 0, max: 600 }),
        }),
      },
      {
        weight: 3,
        arbitrary: fc.record({
          type: fc.constant('order.refunded' as const),
          day: fc.integer({ min: fromDay, max: fromDay + 9 }),
          amount: fc.integer({ min: 1, max: 900 }),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          type: fc.constant('order.cancelled' as const),
          day: fc.integer({ min: fromDay, max: fromDay + 9 }),
        }),
      },
    ),
    { maxLength: 6 },
  );

const story = fc.record({
  first: phase(0),
  second: phase(40),
  jobsAfterDays: fc.integer({ min: 1, max: 80 }),
  duplicates: fc.array(fc.nat(9), { maxLength: 3 }),
  seed: fc.integer(),
});

function eventFor(orderId: string, step: Step, paidAt: Date, index: number, phaseName: string) {
  const at = new Date(paidAt.getTime() + step.day * DAY_MS).toISOString();
  const data: Record<string, unknown> = { order_id: orderId };
  switch (step.type) {
    case 'order.shipped':
      Object.assign(data, { shipping_method: step.method, shipped_at: at });
      break;
    case 'order.receipt_confirmed':
      Object.assign(data, { confirmed_at: at });
      break;
    case 'order.dispute_opened':
      Object.assign(data, { dispute_id: step.dispute, opened_at: at });
      break;
    case 'order.dispute_closed':
      Object.assign(data, {
        dispute_id: step.dispute,
        closed_at: at,
        refund:
          step.refund > 0 ? { sub_order_id: `${orderId}-1`, amount_minor: step.refund } : null,
      });
      break;
    case 'order.refunded':
      Object.assign(data, {
        sub_order_id: `${orderId}-1`,
        amount_minor: step.amount,
        refunded_at: at,
      });
      break;
    case 'order.cancelled':
      Object.assign(data, { cancelled_at: at });
      break;
  }
  return { id: `${orderId}-${phaseName}-${index}`, type: step.type, created_at: at, data };
}

/** Keeps refunds (direct and granted in disputes) within what was paid, in story order. */
function withinPaid(steps: Step[], budget: { left: number }): Step[] {
  return steps.filter((s) => {
    const amount =
      s.type === 'order.refunded' ? s.amount : s.type === 'order.dispute_closed' ? s.refund : 0;
    if (amount > budget.left) return false;
    budget.left -= amount;
    return true;
  });
}

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describeEachDatabase('order life cycle properties', (t) => {
  it('ends in the same state and balances whatever the delivery order, duplicates included, with a clean audit', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(story, async (s) => {
        run += 1;
        const ctx: TestContext = t();
        const budget = { left: PAID_MINOR };
        const first = withinPaid(s.first, budget);
        const second = withinPaid(s.second, budget);
        const deliveries = await Promise.all(
          ['a', 'b'].map(async (name) => {
            const seeded = await seedClickedProduct(ctx);
            return {
              seeded,
              orderId: `prop-${run}-${name}-${Math.random().toString(36).slice(2, 7)}`,
            };
          }),
        );
        const paidAt = ctx.clock.now();
        for (const d of deliveries) {
          const paid = await ingestEvent(
            ctx,
            paidEvent(ctx, {
              orderId: d.orderId,
              productId: d.seeded.product.productId,
              clickId: d.seeded.clickId,
            }),
          );
          expect(paid.status).toBe('accepted');
        }
        const deliver = async (steps: Step[], phaseName: string) => {
          for (const [k, d] of deliveries.entries()) {
            const events = steps.map((step, i) => eventFor(d.orderId, step, paidAt, i, phaseName));
            // Delivery a: story order. Delivery b: shuffled, with some events sent twice.
            const order =
              k === 0
                ? events
                : shuffled(
                    [
                      ...events,
                      ...s.duplicates.flatMap((i) =>
                        events[i % Math.max(1, events.length)] ? [events[i % events.length]] : [],
                      ),
                    ],
                    s.seed,
                  );
            for (const e of order) expect((await ingestEvent(ctx, e)).status).toBe('accepted');
          }
        };
        const states = () =>
          Promise.all(
            deliveries.map(async (d) => {
              const affiliateId = d.seeded.affiliate.id;
              // The order rollups always equal what the sub-orders and clawbacks say.
              expect((await verifyOrderRollups(ctx, { affiliateId })).differences).toEqual([]);
              return {
                balance: await affiliateBalance(ctx.db, affiliateId, 'USD'),
                sub: await ctx.db
                  .selectFrom('sub_orders')
                  .select(['status', 'settled_minor', 'invalid_reason', 'confirmed_at', 'due_at'])
                  .where('order_id', '=', d.orderId)
                  .executeTakeFirstOrThrow(),
                reported: (
                  await getDashboard(ctx, {
                    affiliateId,
                    today: paidAt.toISOString().slice(0, 10),
                  })
                ).today,
              };
            }),
          );
        // The two deliveries must agree at every stage, not only at the end.
        await deliver(first, 'one');
        const [a1, b1] = await states();
        expect(b1).toEqual(a1);
        ctx.clock.advance(s.jobsAfterDays * DAY_MS);
        await runDueJobs(ctx);
        const [a2, b2] = await states();
        expect(b2).toEqual(a2);
        await deliver(second, 'two');
        ctx.clock.advance(200 * DAY_MS);
        await runDueJobs(ctx);
        const [a3, b3] = await states();
        expect(b3).toEqual(a3);
        expect(['completed_settlement', 'invalid']).toContain(a3?.sub.status);
        expect((await auditLedger(ctx.db)).violations).toEqual([]);
      }),
      // PostgreSQL answers each statement over a socket: fewer runs keep the suite's time in check.
      { numRuns: t().dialect === 'sqlite' ? 50 : 25 },
    );
  }, 180_000);
});
