import { describe, expect, it } from 'vitest';
import { eventDataSchemas, merchantEvent } from '../orders/schema.js';
import { SeededRandom } from '../seed/random.js';
import { ClickPool, STORED_AFTER_MS } from './click-pool.js';
import { OrderFlow } from './order-flow.js';

const products = [
  { productId: '1005000000001', priceMinor: 1999 },
  { productId: '1005000000002', priceMinor: 350 },
];

function flowWithClicks(clicks: number): OrderFlow {
  const pool = new ClickPool();
  for (let i = 0; i < clicks; i += 1) pool.add(`01click${i}`, 0);
  return new OrderFlow(new SeededRandom(1), 'soaktest', products, pool);
}

describe('OrderFlow', () => {
  it('sends nothing until a click is old enough to have been stored', () => {
    const pool = new ClickPool();
    pool.add('01fresh', 1000);
    const flow = new OrderFlow(new SeededRandom(1), 'soaktest', products, pool);
    expect(flow.next(1000 + STORED_AFTER_MS - 1)).toBeUndefined();
    expect(flow.next(1000 + STORED_AFTER_MS)?.event.data.click_id).toBe('01fresh');
  });

  it('makes events the merchant endpoint accepts, each order paid first and followed only after an answer', () => {
    const flow = flowWithClicks(300);
    const seen = new Map<string, string[]>();
    let unanswered: string | undefined;
    for (let now = STORED_AFTER_MS; now < 120_000; now += 5) {
      const next = flow.next(now);
      if (!next) continue;
      const { order, event } = next;
      expect(merchantEvent.safeParse(event).success).toBe(true);
      const schema = eventDataSchemas[event.type as keyof typeof eventDataSchemas];
      expect(schema.safeParse(event.data).success, JSON.stringify(event)).toBe(true);
      const types = seen.get(order.orderId) ?? [];
      expect(types.length === 0).toBe(event.type === 'order.paid');
      expect(order.orderId).not.toBe(unanswered);
      seen.set(order.orderId, [...types, event.type]);
      // Every tenth order's event is never answered: it must not come back.
      if (seen.size % 10 === 0 && types.length === 0) unanswered = order.orderId;
      else flow.answered(order, true, now);
    }
    expect(seen.size).toBe(300);
    const ends = [...seen.values()].map((types) => types.at(-1));
    expect(ends.filter((t) => t === 'order.receipt_confirmed').length).toBeGreaterThan(200);
    expect(flow.waiting).toBe(0);
  });

  it('stops an order whose event was refused', () => {
    const flow = flowWithClicks(1);
    const first = flow.next(STORED_AFTER_MS);
    expect(first?.event.type).toBe('order.paid');
    flow.answered(first?.order as NonNullable<typeof first>['order'], false, STORED_AFTER_MS);
    expect(flow.waiting).toBe(0);
  });
});
