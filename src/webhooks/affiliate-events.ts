import type { WithdrawalState } from '../db/types.js';
import type { AffiliateEvent } from './emit-events.js';

type OrderEventType =
  | 'order.paid'
  | 'order.settled'
  | 'order.invalid'
  | 'order.held'
  | 'order.released';

/** What an order event says of one sub-order; commissions in the settlement currency. */
export type SubOrderMoment = {
  affiliateId: string;
  /** The order's tracking_ids row and click, as attribution stored them. */
  trackingId: string | null;
  clickId: string | null;
  orderId: string;
  subOrderId: string;
  /** Estimated at order.paid (and while held or released), posted at order.settled, voided at order.invalid. */
  commissionMinor: bigint;
  currency: string;
  saleMinor: bigint;
  saleCurrency: string;
  /** Why it became Invalid. */
  reason?: string | null;
  /** Why it is held for review (order.held): each open flag's signal and reason. */
  holds?: { signal: string; reason: string }[];
};

const STATUS: Record<OrderEventType, string> = {
  'order.paid': 'paid',
  'order.settled': 'settled',
  'order.invalid': 'invalid',
  'order.held': 'held',
  'order.released': 'released',
};

/** The order event of a sub-order, keyed `<type>:<sub-order id>`: each happens once. */
export function orderEvent(type: OrderEventType, m: SubOrderMoment): AffiliateEvent {
  return {
    type,
    affiliateId: m.affiliateId,
    key: `${type}:${m.subOrderId}`,
    trackingId: m.trackingId,
    clickId: m.clickId,
    data: {
      order_id: m.orderId,
      sub_order_id: m.subOrderId,
      status: STATUS[type],
      commission: m.commissionMinor,
      currency: m.currency,
      sale_amount: m.saleMinor,
      sale_currency: m.saleCurrency,
      ...(type === 'order.invalid' ? { reason: m.reason ?? null } : {}),
      ...(type === 'order.held' ? { holds: m.holds ?? [] } : {}),
    },
  };
}

type WithdrawalMoment = {
  id: string;
  affiliateId: string;
  state: WithdrawalState;
  currency: string;
  amountMinor: bigint;
  feeMinor: bigint;
  netMinor: bigint;
  reasonCode: string | null;
  reasonText: string | null;
};

/**
 * withdrawal.succeeded, or withdrawal.failed when the bank refused or returned it (a
 * returned withdrawal may have succeeded first: then both are sent, once each).
 */
export function withdrawalEvent(w: WithdrawalMoment): AffiliateEvent {
  const type = w.state === 'succeeded' ? 'withdrawal.succeeded' : 'withdrawal.failed';
  return {
    type,
    affiliateId: w.affiliateId,
    key: `${type}:${w.id}`,
    data: {
      withdrawal_id: w.id,
      state: w.state,
      amount: w.amountMinor,
      fee: w.feeMinor,
      net: w.netMinor,
      currency: w.currency,
      reason_code: w.reasonCode,
      reason_text: w.reasonText,
    },
  };
}
