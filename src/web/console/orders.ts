import type { FastifyInstance } from 'fastify';
import { affiliateEmails } from '../../affiliates/queries.js';
import type { Ctx } from '../../context.js';
import type { SubOrderStatus } from '../../db/types.js';
import {
  type OperatorSubOrder,
  recentSubOrders,
  subOrderStatuses,
} from '../../orders/operator-orders.js';
import { operatorOf } from '../guards.js';
import { html } from '../html.js';
import { sendHtml } from '../plugin.js';
import { queryText } from './inputs.js';
import {
  amount,
  consolePage,
  percent,
  SUB_ORDER_LABELS,
  subOrderBadge,
  tabs,
  when,
  withQuery,
} from './view.js';

const PAGE = 50;

/** What the affiliate earns on a sub-order now: settled, estimated, or nothing. */
function commissionCell(r: OperatorSubOrder) {
  if (r.status === 'invalid') return html`<span class="muted">voided</span>`;
  if (r.settledMinor !== null) return amount(r.settledMinor, r.settlementCurrency);
  return html`${amount(r.commissionMinor, r.settlementCurrency)}<br><span class="muted">estimated</span>`;
}

/** GET /console/orders — every affiliate's sub-orders, newest paid first, by status. */
export function orderListPage(web: FastifyInstance, ctx: Ctx): void {
  web.get('/console/orders', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    const statusText = queryText(request.query, 'status', 40);
    const status = subOrderStatuses.find((s) => s === statusText) as SubOrderStatus | undefined;
    const beforeAt = queryText(request.query, 'before_at', 40);
    const beforeId = queryText(request.query, 'before_id', 200);
    const before = beforeAt && beforeId ? { paidAt: beforeAt, subOrderId: beforeId } : undefined;
    const rows = await recentSubOrders(ctx.db, { status, before, limit: PAGE + 1 });
    const shown = rows.slice(0, PAGE);
    const emails = await affiliateEmails(
      ctx.db,
      shown.flatMap((r) => (r.affiliateId ? [r.affiliateId] : [])),
    );
    const last = shown.at(-1);
    return sendHtml(
      reply,
      consolePage(
        request,
        operator,
        { title: 'Orders', active: 'orders' },
        html`<h1>Orders</h1>
${tabs('Status', [
  { href: '/console/orders', text: 'All', current: !status },
  ...subOrderStatuses.map((s) => ({
    href: `/console/orders?status=${s}`,
    text: SUB_ORDER_LABELS[s],
    current: status === s,
  })),
])}
<p><a class="button secondary" href="${withQuery('/console/exports/orders.csv', { status })}" download>Download CSV</a></p>
${
  shown.length === 0
    ? html`<p class="muted">No orders${status ? ` in ${SUB_ORDER_LABELS[status]}` : ''}${before ? ' on this page' : ''}.</p>`
    : html`<div class="table-wrap" role="region" aria-label="Orders" tabindex="0"><table>
<thead><tr><th>Paid</th><th>Order / sub-order</th><th>Affiliate</th><th>Status</th><th class="num">Sale</th><th class="num">Rate</th><th class="num">Commission</th></tr></thead>
<tbody>${shown.map(
        (r) => html`<tr>
<td>${when(r.paidAt)}</td>
<td><a href="/console/orders/${encodeURIComponent(r.orderId)}">${r.orderId}</a><br><span class="muted">${r.subOrderId}</span></td>
<td>${r.affiliateId ? html`<a href="/console/affiliates/${encodeURIComponent(r.affiliateId)}">${emails.get(r.affiliateId) ?? r.affiliateId}</a>` : html`<span class="muted">not attributed</span>`}</td>
<td>${subOrderBadge(r.status)}${r.invalidReason ? html`<br><span class="muted">${r.invalidReason}</span>` : ''}</td>
<td class="num">${amount(r.paidMinor, r.currency)}</td>
<td class="num">${percent(r.rateBp)}</td>
<td class="num">${commissionCell(r)}</td>
</tr>`,
      )}</tbody></table></div>`
}
<p class="row">${before ? html`<a class="button secondary" href="${withQuery('/console/orders', { status })}">Newest</a>` : ''}${
          rows.length > PAGE && last
            ? html`<a class="button secondary" href="${withQuery('/console/orders', { status, before_at: last.paidAt, before_id: last.subOrderId })}">Older</a>`
            : ''
        }</p>`,
      ),
    );
  });
}
