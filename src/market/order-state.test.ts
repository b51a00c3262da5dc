import { describe, expect, it } from 'vitest';
import { orderState, type SentEvent } from './order-state.js';

const paid: SentEvent = { step: 1, type: 'order.paid', data: {} };
const shipped: SentEvent = { step: 2, type: 'order.shipped', data: {} };
const at = (step: number, type: string, data: Record<string, unknown> = {}): SentEvent => ({
  step,
  type,
  data,
});

describe('a market order state', () => {
  it('is pending with nothing allowed before the payment is accepted', () => {
    const state = orderState([]);
    expect(state.status).toBe('pending');
    expect(state.nextStep).toBe(1);
    expect(Object.values(state.refusal).every((r) => r !== null)).toBe(true);
  });

  it('lets a shipped order be confirmed, disputed or refunded, and not a dispute closed', () => {
    const state = orderState([shipped, paid]);
    expect(state.status).toBe('shipped');
    expect(state.nextStep).toBe(3);
    expect(state.refusal).toEqual({
      confirm: null,
      dispute: null,
      'close-dispute': 'No dispute about this order is open.',
      refund: null,
    });
  });

  it('does not confirm receipt of an order the seller never shipped', () => {
    expect(orderState([paid]).refusal.confirm).toBe('The seller has not shipped this order yet.');
  });

  it('while a dispute is open only closing it is allowed, and then the order is as before', () => {
    const open = orderState([
      paid,
      shipped,
      at(3, 'order.dispute_opened', { dispute_id: 'mkt-x.d1' }),
    ]);
    expect(open.status).toBe('disputed');
    expect(open.openDisputeId).toBe('mkt-x.d1');
    expect(open.refusal.confirm).toMatch(/Close the dispute/);
    expect(open.refusal.refund).toMatch(/Close the dispute/);
    expect(open.refusal.dispute).toMatch(/already open/);
    expect(open.refusal['close-dispute']).toBeNull();
    const closed = orderState([
      paid,
      shipped,
      at(3, 'order.dispute_opened', { dispute_id: 'mkt-x.d1' }),
      at(4, 'order.dispute_closed', { dispute_id: 'mkt-x.d1' }),
    ]);
    expect(closed.status).toBe('shipped');
    expect(closed.disputes).toBe(1);
    expect(closed.refusal.confirm).toBeNull();
  });

  it('after a refund nothing more is allowed, a second refund included', () => {
    const state = orderState([
      paid,
      shipped,
      at(3, 'order.receipt_confirmed'),
      at(4, 'order.refunded'),
    ]);
    expect(state.status).toBe('refunded');
    expect(state.refusal.refund).toBe('This order was already refunded.');
    expect(state.refusal.confirm).not.toBeNull();
    expect(state.refusal.dispute).not.toBeNull();
  });

  it('remembers a confirmed receipt', () => {
    const state = orderState([paid, shipped, at(3, 'order.receipt_confirmed')]);
    expect(state.status).toBe('received');
    expect(state.refusal.confirm).toMatch(/already confirmed/);
    expect(state.refusal.refund).toBeNull();
  });
});
