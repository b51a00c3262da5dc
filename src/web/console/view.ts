import type { FastifyRequest } from 'fastify';
import type { WebSession } from '../../auth/sessions.js';
import type { SubOrderStatus, WithdrawalState } from '../../db/types.js';
import { formatBasisPoints, formatMoney } from '../../money.js';
import { stateLabels } from '../../payouts/schema.js';
import { type Html, html } from '../html.js';
import { page } from '../layout.js';

/** A console page: the operator's frame (navigation, log-out form) around the content. */
export function consolePage(
  request: FastifyRequest,
  operator: WebSession,
  frame: { title: string; active: string; notice?: string | undefined },
  content: Html,
): Html {
  return page({ ...frame, session: operator, csrf: request.webCsrf }, content);
}

/** "1234.50 USD": exact, from minor units. */
export function amount(minor: bigint, currency: string): string {
  return formatMoney({ amountMinor: minor, currency });
}

export function percent(rateBp: bigint | number): string {
  return formatBasisPoints(Number(rateBp));
}

/** A stored UTC time as "2026-03-01 12:00 UTC"; nothing as a dash. */
export function when(at: string | null | undefined): string {
  if (!at) return '—';
  return `${at.slice(0, 10)} ${at.slice(11, 16)} UTC`;
}

type Tone = 'ok' | 'wait' | 'bad' | '';

export function badge(label: string, tone: Tone, title?: string): Html {
  return html`<span class="status${tone ? ` ${tone}` : ''}"${title ? html` title="${title}"` : ''}>${label}</span>`;
}

const AFFILIATE_TONES: Record<string, Tone> = {
  approved: 'ok',
  pending: 'wait',
  suspended: 'wait',
  banned: 'bad',
};

export function affiliateBadge(status: string): Html {
  return badge(status, AFFILIATE_TONES[status] ?? '');
}

/** The life-cycle names the marketplace's affiliate API uses. */
export const SUB_ORDER_LABELS: Record<SubOrderStatus, string> = {
  payment_completed: 'Payment Completed',
  buyer_confirmed_receipt: 'Buyer Confirmed Receipt',
  completed_settlement: 'Completed Settlement',
  invalid: 'Invalid',
};
const SUB_ORDER_TONES: Record<SubOrderStatus, Tone> = {
  payment_completed: 'wait',
  buyer_confirmed_receipt: 'wait',
  completed_settlement: 'ok',
  invalid: 'bad',
};

export function subOrderBadge(status: SubOrderStatus): Html {
  return badge(SUB_ORDER_LABELS[status], SUB_ORDER_TONES[status]);
}

const WITHDRAWAL_TONES: Record<WithdrawalState, Tone> = {
  processing: 'wait',
  succeeded: 'ok',
  failed: 'bad',
  returned: 'bad',
};

export function withdrawalBadge(state: WithdrawalState): Html {
  return badge(stateLabels[state], WITHDRAWAL_TONES[state]);
}

/** Filter links as tabs: the current one marked. */
export function tabs(
  label: string,
  items: readonly { href: string; text: string; current: boolean }[],
): Html {
  return html`<nav class="tabs" aria-label="${label}">${items.map(
    (i) => html`<a href="${i.href}"${i.current ? html` aria-current="true"` : ''}>${i.text}</a>`,
  )}</nav>`;
}

/** A path with query parameters, the empty ones left out. */
export function withQuery(path: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** A card of the overview: a label over a number. */
export function card(label: string, value: string | number, href?: string): Html {
  const body = html`<span class="label">${label}</span><span class="value">${value}</span>`;
  return html`<div class="card">${href ? html`<a href="${href}">${body}</a>` : body}</div>`;
}

/** A one-line notice for `?done=<code>` after a form was sent, from known codes only. */
export function noticeFor(
  query: unknown,
  messages: Record<string, string | ((q: Record<string, string>) => string)>,
): string | undefined {
  const q = (query ?? {}) as Record<string, string>;
  // Own names only: `done=constructor` found Object itself, and the page failed with a 500.
  const message =
    typeof q.done === 'string' && Object.hasOwn(messages, q.done) ? messages[q.done] : undefined;
  return typeof message === 'function' ? message(q) : message;
}
