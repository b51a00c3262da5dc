import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../../context.js';
import type { SubOrderStatus } from '../../db/types.js';
import { AppError } from '../../errors.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { formatBasisPoints, formatMoney, money } from '../../money.js';
import {
  affiliateSubOrdersNewestFirst,
  type SubOrderPosition,
} from '../../orders/affiliate-sub-orders.js';
import { showOrder } from '../../orders/show-order.js';
import { formValues } from '../forms.js';
import { affiliateOf } from '../guards.js';
import { html } from '../html.js';
import { page } from '../layout.js';
import { sendHtml } from '../plugin.js';
import { HELD, heldBadge, SUB_ORDER_STATES, statusBadge } from '../status-words.js';

const PAGE_SIZE = 25;
const STATUSES = Object.keys(SUB_ORDER_STATES) as SubOrderStatus[];
const listQuery = z.object({
  status: z.enum(STATUSES).optional().catch(undefined),
  before: z.string().max(512).optional().catch(undefined),
});

function isPosition(value: unknown): value is SubOrderPosition {
  const v = value as SubOrderPosition;
  return typeof v?.paidAt === 'string' && typeof v.subOrderId === 'string';
}

/** GET /orders, /orders/:id — every sub-order's state, commission and how it was reached. */
export function orderPages(web: FastifyInstance, ctx: Ctx): void {
  web.get('/orders', async (request, reply) => {
    const session = affiliateOf(request, reply);
    if (!session) return reply;
    const q = listQuery.parse(formValues(request.query));
    let before: SubOrderPosition | undefined;
    try {
      before = q.before ? decodeCursor(q.before, isPosition) : undefined;
    } catch {
      before = undefined; // an edited cursor shows the first page
    }
    const rows = await affiliateSubOrdersNewestFirst(ctx.db, session.affiliateId, {
      status: q.status,
      before,
      limit: PAGE_SIZE,
    });
    const last = rows.at(-1);
    const next =
      rows.length === PAGE_SIZE && last
        ? `/orders?${new URLSearchParams({ ...(q.status ? { status: q.status } : {}), before: encodeCursor({ paidAt: last.paidAt, subOrderId: last.subOrderId }) })}`
        : undefined;
    return sendHtml(
      reply,
      page(
        { title: 'Orders', session, csrf: request.webCsrf, active: 'orders' },
        html`<h1>Orders</h1>
<nav class="tabs" aria-label="Filter by state"><a href="/orders"${q.status ? '' : html` aria-current="true"`}>All</a>${STATUSES.map(
          (s) =>
            html`<a href="/orders?status=${s}"${q.status === s ? html` aria-current="true"` : ''}>${SUB_ORDER_STATES[s].label}</a>`,
        )}</nav>
${
  rows.length === 0
    ? html`<p class="panel muted">No orders here yet. Orders appear when a buyer you sent pays.</p>`
    : html`<div class="table-wrap"><table><thead><tr><th>Paid</th><th>Order</th><th>Product</th><th class="num">Paid amount</th><th class="num">Rate</th><th class="num">Commission</th><th>State</th></tr></thead><tbody>${rows.map(
        (r) =>
          html`<tr><td>${r.paidAt.slice(0, 16).replace('T', ' ')}</td><td><a href="/orders/${encodeURIComponent(r.orderId)}">${r.orderId}</a><br><span class="muted">${r.subOrderId}</span></td><td>${r.productId}</td><td class="num">${formatMoney(money(r.paidMinor, r.currency))}</td><td class="num">${formatBasisPoints(Number(r.rateBp))}</td><td class="num">${
            r.settledMinor !== null
              ? html`<strong>${formatMoney(money(r.settledMinor, r.settlementCurrency))}</strong><br><span class="muted">final</span>`
              : html`${formatMoney(money(r.status === 'invalid' ? 0n : r.commissionMinor, r.settlementCurrency))}<br><span class="muted">${r.status === 'invalid' ? 'none' : r.holdReason ? 'estimated, held' : 'estimated'}</span>`
          }</td><td>${statusBadge(r.status)}${r.holdReason ? html` ${heldBadge()}<br><span class="muted">${r.holdReason}</span>` : ''}</td></tr>`,
      )}</tbody></table></div>`
}
${next ? html`<p><a class="button secondary" href="${next}">Older orders</a></p>` : ''}
<h2>What the states mean</h2>
<dl class="facts">${STATUSES.map((s) => html`<dt>${SUB_ORDER_STATES[s].label}</dt><dd>${SUB_ORDER_STATES[s].meaning}</dd>`)}<dt>${HELD.label}</dt><dd>${HELD.meaning}</dd></dl>`,
      ),
    );
  });

  web.get<{ Params: { id: string } }>('/orders/:id', async (request, reply) => {
    const session = affiliateOf(request, reply);
    if (!session) return reply;
    const id = request.params.id.slice(0, 128);
    const order = await showOrder(ctx.db, id).catch(() => undefined);
    // Another affiliate's order is as unknown as one that does not exist.
    if (!order || order.affiliate_id !== session.affiliateId)
      throw new AppError('order_not_found', `no order ${id}`);
    return sendHtml(
      reply,
      page(
        { title: `Order ${order.order_id}`, session, csrf: request.webCsrf, active: 'orders' },
        html`<h1>Order ${order.order_id}</h1>
<section class="panel"><dl class="facts">
<dt>Paid</dt><dd>${order.paid_at}</dd>
<dt>Tracking id</dt><dd>${order.tracking_id ?? '—'}</dd>
<dt>Click</dt><dd>${order.click_id ?? '—'}</dd>
</dl></section>
${order.sub_orders.map(
  (s) => html`<section class="panel">
<h2>${s.product_id} ${statusBadge(s.status)}${s.held ? html` ${heldBadge()}` : ''}</h2>
<p>${SUB_ORDER_STATES[s.status].meaning}${s.invalid_reason ? html` <strong>Reason: ${s.invalid_reason}</strong>` : ''}</p>
${s.hold_reason ? html`<p>${HELD.meaning} <strong>Reason: ${s.hold_reason}</strong></p>` : ''}
<dl class="facts">
<dt>Paid amount</dt><dd>${formatMoney(money(BigInt(s.paid_minor), s.currency))}</dd>
<dt>Rate</dt><dd>${formatBasisPoints(Number(s.rate_bp))}</dd>
<dt>Estimated commission</dt><dd>${formatMoney(money(BigInt(s.commission_settlement_minor), s.settlement_currency))}</dd>
<dt>Final commission</dt><dd>${s.settled_minor === null ? 'not settled yet' : formatMoney(money(BigInt(s.settled_minor), s.settlement_currency))}</dd>
<dt>Receipt confirmed</dt><dd>${s.confirmed_at ?? '—'}</dd>
<dt>Settled</dt><dd>${s.settled_at ?? '—'}</dd>
</dl>
<h3>How the commission was reached</h3>
<ol class="explain">${s.explanation.map((step) => html`<li>${step}</li>`)}</ol>
</section>`,
)}`,
      ),
    );
  });
}
