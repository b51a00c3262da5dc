import type { MarketOrderStatus } from '../db/types.js';
import type { OrderAction } from './schema.js';

/** An event the market sent affnet and affnet accepted, as the state is read from it. */
export type SentEvent = { step: number; type: string; data: Record<string, unknown> };

export type OrderState = {
  status: MarketOrderStatus;
  /** The step the next event of this order takes (the forms carry it). */
  nextStep: number;
  /** The dispute open now, if any. */
  openDisputeId: string | null;
  disputes: number;
  /** Each action: allowed (null), or why not, in the buyer's words. */
  refusal: Record<OrderAction, string | null>;
};

/**
 * Where an order stands, from the events affnet accepted for it (in step order): a pure
 * function, so the page's buttons and the POST's check can never disagree.
 */
export function orderState(events: readonly SentEvent[]): OrderState {
  let paid = false;
  let shipped = false;
  let received = false;
  let refunded = false;
  let openDisputeId: string | null = null;
  let disputes = 0;
  let lastStep = 0;
  for (const event of [...events].sort((a, b) => a.step - b.step)) {
    lastStep = Math.max(lastStep, event.step);
    switch (event.type) {
      case 'order.paid':
        paid = true;
        break;
      case 'order.shipped':
        shipped = true;
        break;
      case 'order.receipt_confirmed':
        received = true;
        break;
      case 'order.dispute_opened':
        disputes += 1;
        openDisputeId = String(event.data.dispute_id ?? `dispute-${disputes}`);
        break;
      case 'order.dispute_closed':
        openDisputeId = null;
        break;
      case 'order.refunded':
        refunded = true;
        break;
    }
  }
  const status: MarketOrderStatus = refunded
    ? 'refunded'
    : openDisputeId
      ? 'disputed'
      : received
        ? 'received'
        : shipped
          ? 'shipped'
          : paid
            ? 'paid'
            : 'pending';
  const settled = !paid
    ? 'This order is not paid yet.'
    : refunded
      ? 'This order was already refunded.'
      : null;
  return {
    status,
    nextStep: lastStep + 1,
    openDisputeId,
    disputes,
    refusal: {
      confirm:
        settled ??
        (received
          ? 'Receipt of this order is already confirmed.'
          : !shipped
            ? 'The seller has not shipped this order yet.'
            : openDisputeId
              ? 'Close the dispute before confirming receipt.'
              : null),
      dispute: settled ?? (openDisputeId ? 'A dispute about this order is already open.' : null),
      'close-dispute': openDisputeId ? null : 'No dispute about this order is open.',
      refund: settled ?? (openDisputeId ? 'Close the dispute before asking for a refund.' : null),
    },
  };
}
