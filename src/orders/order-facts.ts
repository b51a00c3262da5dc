import type { Selectable } from 'kysely';
import type { MerchantEventsTable, OrdersTable, SubOrdersTable } from '../db/types.js';
import type { ProgramSettings } from '../settings/schema.js';
import type { SubOrderFacts } from './life-cycle.js';

/** A stored event of the order with its data parsed (once per order, not once per sub-order). */
export type OrderEvent = Pick<Selectable<MerchantEventsTable>, 'type'> & {
  values: Record<string, unknown>;
};

/** The protection days of a shipping method, or undefined for a method the program does not know. */
export function protectionDaysOf(settings: ProgramSettings, method: string): number | undefined {
  const shippingClass = settings.shippingMethodClasses[method];
  return shippingClass === undefined ? undefined : settings.protectionDays[shippingClass];
}

/** What an event refunds of a sub-order: an order.refunded, or the refund a closed dispute granted. */
export function refundOf(event: OrderEvent, subOrderId: string): bigint {
  const data = event.values;
  if (event.type === 'order.refunded')
    return data.sub_order_id === subOrderId ? BigInt(data.amount_minor as number | string) : 0n;
  if (event.type === 'order.dispute_closed') {
    const refund = data.refund as
      | { sub_order_id: string; amount_minor: number | string }
      | null
      | undefined;
    return refund?.sub_order_id === subOrderId ? BigInt(refund.amount_minor) : 0n;
  }
  return 0n;
}

/** A fraud flag on an order (src/fraud/), as the life cycle reads it. */
export type OrderFlag = {
  id: string;
  sub_order_id: string | null;
  reason: string;
  resolution: 'released' | 'invalidated' | null;
};

const earliest = (dates: Date[]) =>
  dates.length === 0 ? undefined : new Date(Math.min(...dates.map((d) => d.getTime())));

/**
 * Folds an order's events into the facts of one sub-order. Only sets and minimums are taken
 * (the earliest shipment, any cancellation, the sum of refunds, disputes paired by id), so
 * the result is the same whatever order the events arrived in.
 */
export function subOrderFacts(
  order: Pick<Selectable<OrdersTable>, 'paid_at'>,
  sub: Pick<Selectable<SubOrdersTable>, 'sub_order_id' | 'paid_minor' | 'settled_at'>,
  events: readonly OrderEvent[],
  settings: ProgramSettings,
  /** The order's fraud flags: held while one is open, Invalid when one was invalidated. */
  flags: readonly OrderFlag[] = [],
): SubOrderFacts & { refundedMinor: bigint } {
  const shipments: { at: Date; method: string }[] = [];
  const confirmations: Date[] = [];
  const disputes = new Map<string, { openedAt: Date | undefined; closedAt: Date | undefined }>();
  let refundedMinor = 0n;
  let cancelled = false;
  const dispute = (id: string) => {
    let d = disputes.get(id);
    if (!d) {
      d = { openedAt: undefined, closedAt: undefined };
      disputes.set(id, d);
    }
    return d;
  };
  for (const event of events) {
    const data = event.values;
    switch (event.type) {
      case 'order.shipped': {
        const ids = data.sub_order_ids as string[] | undefined;
        if (!ids || ids.includes(sub.sub_order_id))
          shipments.push({
            at: new Date(data.shipped_at as string),
            method: data.shipping_method as string,
          });
        break;
      }
      case 'order.receipt_confirmed':
        confirmations.push(new Date(data.confirmed_at as string));
        break;
      case 'order.dispute_opened': {
        const d = dispute((data.dispute_id as string | undefined) ?? '');
        const at = new Date(data.opened_at as string);
        if (!d.openedAt || at < d.openedAt) d.openedAt = at;
        break;
      }
      case 'order.dispute_closed': {
        const d = dispute((data.dispute_id as string | undefined) ?? '');
        const at = new Date(data.closed_at as string);
        if (!d.closedAt || at > d.closedAt) d.closedAt = at;
        refundedMinor += refundOf(event, sub.sub_order_id);
        break;
      }
      case 'order.refunded':
        refundedMinor += refundOf(event, sub.sub_order_id);
        break;
      case 'order.cancelled':
        cancelled = true;
        break;
    }
  }
  // Earliest first; equal times broken by method name, never by arrival order.
  shipments.sort((a, b) => a.at.getTime() - b.at.getTime() || a.method.localeCompare(b.method));
  const first = shipments[0];
  const own = flags.filter((f) => f.sub_order_id === null || f.sub_order_id === sub.sub_order_id);
  // The earliest invalidated flag (ids sort by time) gives the reason, whatever the read order.
  const invalidated = own
    .filter((f) => f.resolution === 'invalidated')
    .sort((a, b) => (a.id < b.id ? -1 : 1))[0];
  return {
    paidAt: new Date(order.paid_at),
    paidMinor: sub.paid_minor,
    shippedAt: first?.at,
    protectionDays: first ? protectionDaysOf(settings, first.method) : undefined,
    confirmedAt: earliest(confirmations),
    disputes: [...disputes.values()],
    refundedMinor,
    cancelled,
    settledAt: sub.settled_at ? new Date(sub.settled_at) : undefined,
    heldForReview: own.some((f) => f.resolution === null),
    fraudReason: invalidated?.reason,
  };
}
