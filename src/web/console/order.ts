import type { FastifyInstance } from 'fastify';
import { affiliateEmails } from '../../affiliates/queries.js';
import { listTrackingIds } from '../../affiliates/tracking-ids.js';
import type { Ctx } from '../../context.js';
import { orderDisputes } from '../../orders/operator-orders.js';
import { showOrder } from '../../orders/show-order.js';
import { operatorOf } from '../guards.js';
import { html } from '../html.js';
import { sendHtml } from '../plugin.js';
import { pathId } from './inputs.js';
import { amount, badge, consolePage, percent, subOrderBadge, when } from './view.js';

/** The attribution decision stored with the order, in one sentence. */
function attributionText(attribution: unknown): string {
  const a = attribution as {
    attributed?: boolean;
    explanation?: string;
    ageSeconds?: number;
    windowDays?: number;
    click?: { id?: string };
  } | null;
  if (!a || typeof a !== 'object') return '—';
  if (!a.attributed) return `not attributed: ${a.explanation ?? 'no reason recorded'}`;
  const days = typeof a.ageSeconds === 'number' ? (a.ageSeconds / 86_400).toFixed(1) : '?';
  return `click ${a.click?.id ?? '?'}, ${days} days before payment, inside the ${a.windowDays ?? '?'}-day window`;
}

/** GET /console/orders/:id — an order's sub-orders, their states, and how each commission was reached. */
export function orderPage(web: FastifyInstance, ctx: Ctx): void {
  web.get<{ Params: { id: string } }>('/console/orders/:id', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    const order = await showOrder(ctx.db, pathId(request.params.id, 'order_not_found', 'order'));
    const [disputes, emails, trackingIds] = await Promise.all([
      orderDisputes(ctx.db, order.order_id),
      affiliateEmails(ctx.db, order.affiliate_id ? [order.affiliate_id] : []),
      order.affiliate_id ? listTrackingIds(ctx.db, order.affiliate_id) : [],
    ]);
    const trackingName = trackingIds.find((tid) => tid.id === order.tracking_id)?.name;
    const open = disputes.some((d) => d.openedAt && !d.closedAt);
    const currencies = new Map(order.sub_orders.map((s) => [s.sub_order_id, s.currency]));
    const refundText = (r: { subOrderId: string; amountMinor: bigint }) => {
      const currency = currencies.get(r.subOrderId);
      const sum = currency ? amount(r.amountMinor, currency) : `${r.amountMinor} minor units`;
      return `${sum} on ${r.subOrderId}`;
    };
    return sendHtml(
      reply,
      consolePage(
        request,
        operator,
        { title: `Order ${order.order_id}`, active: 'orders' },
        html`<p><a href="/console/orders">← Orders</a></p>
<h1>Order ${order.order_id} ${open ? badge('dispute open', 'bad', 'Buyer protection is paused until the dispute closes') : ''}</h1>
<section class="panel"><dl class="facts wrap">
<dt>Paid</dt><dd>${when(order.paid_at)}</dd>
<dt>Affiliate</dt><dd>${order.affiliate_id ? html`<a href="/console/affiliates/${encodeURIComponent(order.affiliate_id)}">${emails.get(order.affiliate_id) ?? order.affiliate_id}</a>` : 'none'}</dd>
<dt>Tracking id</dt><dd>${trackingName ?? order.tracking_id ?? '—'}</dd>
<dt>Attribution</dt><dd>${attributionText(order.attribution)}</dd>
<dt>Buyer</dt><dd><code>${order.buyer_id}</code></dd>
</dl></section>
<h2>Disputes</h2>
${
  disputes.length === 0
    ? html`<p class="muted">No dispute on this order.</p>`
    : html`<div class="table-wrap" role="region" aria-label="Disputes" tabindex="0"><table><thead><tr><th>Dispute</th><th>Opened</th><th>Closed</th><th>Refund granted</th></tr></thead><tbody>${disputes.map(
        (d) =>
          html`<tr><td>${d.disputeId || '—'}</td><td>${when(d.openedAt)}</td><td>${d.closedAt ? when(d.closedAt) : badge('open', 'bad')}</td><td>${d.refund ? refundText(d.refund) : '—'}</td></tr>`,
      )}</tbody></table></div>`
}
<h2>Sub-orders</h2>
${order.sub_orders.map(
  (s) => html`<section class="panel" aria-label="Sub-order ${s.sub_order_id}">
<h3>${s.sub_order_id} ${subOrderBadge(s.status)}</h3>
${s.invalid_reason ? html`<p class="error">${s.invalid_reason}</p>` : ''}
<dl class="facts wrap">
<dt>Product</dt><dd><code>${s.product_id}</code></dd>
<dt>Paid</dt><dd>${amount(s.paid_minor, s.currency)}</dd>
<dt>Rate</dt><dd>${percent(s.rate_bp)}</dd>
<dt>Commission</dt><dd>${amount(s.commission_minor, s.currency)}${s.fx_rate && s.currency !== s.settlement_currency ? html` × ${s.fx_rate} = ${amount(s.commission_settlement_minor, s.settlement_currency)}` : ''}</dd>
<dt>Settled</dt><dd>${s.settled_minor === null ? '—' : html`${amount(s.settled_minor, s.settlement_currency)} on ${when(s.settled_at)}`}</dd>
<dt>Receipt confirmed</dt><dd>${when(s.confirmed_at)}</dd>
</dl>
<h4>How the commission was reached</h4>
<ol class="explain">${s.explanation.map((line) => html`<li>${line}</li>`)}</ol>
</section>`,
)}`,
      ),
    );
  });
}
