import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../context.js';
import { isAppError } from '../../errors.js';
import { formatBasisPoints, formatMoney, money } from '../../money.js';
import { type SellerOrderLine, sellerOrders } from '../../sellers/seller-reports.js';
import { queryText } from '../console/inputs.js';
import { SUB_ORDER_LABELS, when, withQuery } from '../console/view.js';
import { sellerOf } from '../guards.js';
import { html } from '../html.js';
import { sendHtml } from '../plugin.js';
import { reportRange } from './report-range.js';
import { rangeForm } from './reports.js';
import { sellerPage } from './view.js';

const PAGE_SIZE = 50;
const amount = (minor: bigint, currency: string) => formatMoney(money(minor, currency));

/** GET /seller/orders — the seller's affiliate-driven order lines, each with its locked rate. */
export function orderPages(web: FastifyInstance, ctx: Ctx): void {
  web.get('/seller/orders', async (request, reply) => {
    const seller = sellerOf(request, reply);
    if (!seller) return reply;
    const range = reportRange(request.query, ctx.clock.now());
    const after = queryText(request.query, 'after', 200);
    let page: { rows: SellerOrderLine[]; next: string | null } = { rows: [], next: null };
    let error = range.error;
    if (!error) {
      try {
        page = await sellerOrders(ctx, seller.sellerId, {
          from: range.from,
          to: range.to,
          ...(range.storeId ? { storeId: range.storeId } : {}),
          ...(after ? { after } : {}),
          limit: PAGE_SIZE,
        });
      } catch (e) {
        if (!isAppError(e) || e.status >= 500) throw e;
        error = e.message;
      }
    }
    const params = { from: range.fromDay, to: range.toDay, store: range.storeId };
    const status = (s: string) => SUB_ORDER_LABELS[s as keyof typeof SUB_ORDER_LABELS] ?? s;
    return sendHtml(
      reply,
      sellerPage(
        request,
        seller,
        { title: 'Orders', active: 'reports' },
        html`<p><a href="${withQuery('/seller/reports', params)}">← Reports</a></p>
<h1>Orders</h1>
<p>Each order line keeps the rate it was locked at when it was paid: a later rate change does not touch it.</p>
${await rangeForm(ctx, seller.sellerId, '/seller/orders', { ...range, ...(error && !range.error ? { error } : {}) })}
<p><a class="button secondary" href="${withQuery('/seller/orders.csv', params)}">Download (CSV)</a></p>
${
  error
    ? ''
    : page.rows.length === 0
      ? html`<p class="muted">No affiliate orders in this range.</p>`
      : html`<div class="table-wrap" role="region" aria-label="Orders" tabindex="0"><table><thead><tr><th>Paid</th><th>Order</th><th>Product</th><th>Status</th><th class="num">Sale</th><th class="num">Rate locked</th><th class="num">Commission</th><th class="num">Settled</th></tr></thead><tbody>${page.rows.map(
          (r) =>
            html`<tr data-order="${r.orderId}"><td>${when(r.paidAt)}</td><td><code>${r.orderId}</code></td><td>${r.productTitle} <code>${r.productId}</code></td><td>${status(r.status)}</td><td class="num">${amount(r.salesMinor, r.currency)}</td><td class="num rate">${formatBasisPoints(r.rateBp)}</td><td class="num">${amount(r.commissionMinor, r.currency)}</td><td class="num">${r.settledMinor === null ? '—' : amount(r.settledMinor, r.currency)}</td></tr>`,
        )}</tbody></table></div>`
}
<nav class="row" aria-label="Pages">${after ? html`<a class="button secondary" href="${withQuery('/seller/orders', params)}">First page</a>` : ''}${page.next ? html`<a class="button secondary" href="${withQuery('/seller/orders', { ...params, after: page.next })}">Next</a>` : ''}</nav>`,
      ),
      error ? 422 : 200,
    );
  });
}
