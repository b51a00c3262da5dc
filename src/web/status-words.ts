import type { SubOrderStatus } from '../db/types.js';
import { type Html, html } from './html.js';

/** Each state of a sub-order in the affiliate's words: its name, its tone, what it means. */
export const SUB_ORDER_STATES: Record<
  SubOrderStatus,
  { label: string; tone: string; meaning: string }
> = {
  payment_completed: {
    label: 'Paid',
    tone: 'wait',
    meaning:
      'The buyer paid. The commission is an estimate until the buyer confirms receipt and the protection period has passed.',
  },
  buyer_confirmed_receipt: {
    label: 'Receipt confirmed',
    tone: 'wait',
    meaning:
      'The buyer confirmed receipt. The commission settles at the end of the protection period.',
  },
  completed_settlement: {
    label: 'Settled',
    tone: 'ok',
    meaning: 'Settled: the commission is in your available balance.',
  },
  invalid: {
    label: 'Invalid',
    tone: 'bad',
    meaning: 'No commission is due on this sub-order; the reason says why.',
  },
};

export function statusBadge(status: SubOrderStatus): Html {
  const state = SUB_ORDER_STATES[status];
  return html`<span class="status ${state.tone}" title="${state.meaning}">${state.label}</span>`;
}

/** Not a state of its own: a sub-order on its way that the program holds for fraud review. */
export const HELD = {
  label: 'Held for review',
  tone: 'wait',
  meaning:
    'The program is reviewing this order (the reason says what it saw). The commission stays estimated and does not settle until the review is done; then it settles as usual, or becomes Invalid.',
} as const;

export function heldBadge(): Html {
  return html`<span class="status ${HELD.tone}" title="${HELD.meaning}">${HELD.label}</span>`;
}
