import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../clock.js';
import { decideSubOrder, factsAtPayment, type SubOrderFacts } from './life-cycle.js';

const paidAt = new Date('2026-03-01T00:00:00Z');
const day = (n: number) => new Date(paidAt.getTime() + n * DAY_MS);
const rules = { settlementDelayDays: 0, invalidAfterDays: 180 };
const facts = (extra: Partial<SubOrderFacts> = {}): SubOrderFacts => ({
  ...factsAtPayment(paidAt, 1000n),
  ...extra,
});

describe('the sub-order life cycle', () => {
  it('waits for shipping, then confirms receipt at the end of protection and settles', () => {
    expect(decideSubOrder(facts(), rules, day(10))).toEqual({
      status: 'payment_completed',
      dueAt: day(180),
    });
    const shipped = facts({ shippedAt: day(2), protectionDays: 30 });
    expect(decideSubOrder(shipped, rules, day(10))).toEqual({
      status: 'payment_completed',
      dueAt: day(32),
    });
    expect(decideSubOrder(shipped, rules, day(32))).toEqual({
      status: 'settle',
      confirmedAt: day(32),
    });
    expect(decideSubOrder(shipped, { ...rules, settlementDelayDays: 3 }, day(33))).toEqual({
      status: 'buyer_confirmed_receipt',
      confirmedAt: day(32),
      dueAt: day(35),
    });
  });

  it('settles on an explicit confirmation even before the shipping event arrives', () => {
    expect(decideSubOrder(facts({ confirmedAt: day(5) }), rules, day(5))).toEqual({
      status: 'settle',
      confirmedAt: day(5),
    });
  });

  it('pauses protection while a dispute is open, and extends it by the dispute', () => {
    const open = facts({
      shippedAt: day(0),
      protectionDays: 30,
      disputes: [{ openedAt: day(10), closedAt: undefined }],
    });
    expect(decideSubOrder(open, rules, day(40))).toEqual({
      status: 'payment_completed',
      dueAt: day(180),
    });
    const closed = facts({
      shippedAt: day(0),
      protectionDays: 30,
      disputes: [{ openedAt: day(10), closedAt: day(20) }],
    });
    expect(decideSubOrder(closed, rules, day(39))).toEqual({
      status: 'payment_completed',
      dueAt: day(40),
    });
    expect(decideSubOrder(closed, rules, day(40))).toEqual({
      status: 'settle',
      confirmedAt: day(40),
    });
  });

  it('is invalid when cancelled, refunded in full, or unsettled after 180 days', () => {
    expect(decideSubOrder(facts({ cancelled: true }), rules, day(1))).toMatchObject({
      status: 'invalid',
      reason: 'the order was cancelled',
    });
    expect(decideSubOrder(facts({ refundedMinor: 1000n }), rules, day(1))).toMatchObject({
      status: 'invalid',
    });
    expect(decideSubOrder(facts({ refundedMinor: 999n }), rules, day(1))).toMatchObject({
      status: 'payment_completed',
    });
    expect(decideSubOrder(facts(), rules, day(180))).toEqual({
      status: 'invalid',
      reason: 'not settled within 180 days of payment',
    });
    // A confirmation whose settlement would fall after the expiry does not save it.
    expect(
      decideSubOrder(
        facts({ confirmedAt: day(179) }),
        { ...rules, settlementDelayDays: 5 },
        day(185),
      ),
    ).toMatchObject({ status: 'invalid' });
  });

  it('does not count a free sub-order as refunded in full', () => {
    expect(decideSubOrder(facts({ paidMinor: 0n }), rules, day(1))).toMatchObject({
      status: 'payment_completed',
    });
  });

  it('confirms a sub-order held for fraud review but does not settle it until released', () => {
    const held = facts({ confirmedAt: day(5), heldForReview: true });
    expect(decideSubOrder(held, rules, day(6))).toEqual({
      status: 'buyer_confirmed_receipt',
      confirmedAt: day(5),
      dueAt: day(180),
    });
    expect(decideSubOrder(held, rules, day(180))).toMatchObject({ status: 'invalid' });
    expect(decideSubOrder({ ...held, heldForReview: false }, rules, day(6))).toEqual({
      status: 'settle',
      confirmedAt: day(5),
    });
  });

  it("makes a sub-order the operator found fraudulent Invalid, with the flag's reason", () => {
    expect(
      decideSubOrder(facts({ fraudReason: 'paid 1.0 s after its click' }), rules, day(1)),
    ).toEqual({ status: 'invalid', reason: 'fraud: paid 1.0 s after its click' });
  });

  it('never changes a settled sub-order', () => {
    expect(decideSubOrder(facts({ settledAt: day(3), cancelled: true }), rules, day(400))).toEqual({
      status: 'completed_settlement',
    });
  });
});
