import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../context.js';
import { heldCommission } from '../../fraud/held-commission.js';
import { formatMoney, money } from '../../money.js';
import { affiliateSubOrdersNewestFirst } from '../../orders/affiliate-sub-orders.js';
import { getBalances } from '../../payouts/balances.js';
import { breakdown } from '../../reports/breakdown.js';
import { dailySeries } from '../../reports/daily-series.js';
import { getDashboard, type PeriodTotals } from '../../reports/get-dashboard.js';
import type { ReportTotals } from '../../reports/schema.js';
import { topProducts } from '../../reports/top-products.js';
import { dailyBars } from '../chart.js';
import { formValues } from '../forms.js';
import { affiliateOf } from '../guards.js';
import { type Html, html } from '../html.js';
import { page } from '../layout.js';
import { sendHtml } from '../plugin.js';
import { statusBadge } from '../status-words.js';

/**
 * GET /dashboard — today, this month and last month (clicks, leads, approved leads,
 * estimated and settled commission), the balances, a daily chart over 30 or 90 days, top
 * products and the breakdown by tracking id and sub-id: all from the click and order
 * rollups and the cached ledger balances, never from raw clicks or sub-orders.
 */
export function dashboardPage(web: FastifyInstance, ctx: Ctx): void {
  web.get('/dashboard', async (request, reply) => {
    const session = affiliateOf(request, reply);
    if (!session) return reply;
    const query = formValues(request.query);
    const days = query.days === '90' ? 90 : 30;
    const affiliateId = session.affiliateId;
    const [board, series, top, byTracking, bySub, balances, recent] = await Promise.all([
      getDashboard(ctx, { affiliateId }),
      dailySeries(ctx, { affiliateId, days }),
      topProducts(ctx, { affiliateId, limit: 5 }),
      breakdown(ctx, { affiliateId, by: 'tracking_id', limit: 20 }),
      breakdown(ctx, { affiliateId, by: 'sub1', limit: 20 }),
      getBalances(ctx, affiliateId),
      affiliateSubOrdersNewestFirst(ctx.db, affiliateId, { limit: 5 }),
    ]);
    // Part of the estimated balance (it is pending like the rest), shown apart when any.
    const held = await heldCommission(ctx.db, affiliateId, balances.currency);
    const m = (minor: bigint) => formatMoney(money(minor, board.currency));
    const b = (minor: bigint) => formatMoney(money(minor, balances.currency));
    const period = (label: string, key: string, p: PeriodTotals) =>
      html`<tr data-period="${key}"><th scope="row">${label}</th><td class="num" data-stat="clicks">${p.clicks.toString()}</td><td class="num" data-stat="leads">${p.leads.toString()}</td><td class="num">${p.approvedLeads.toString()}</td><td class="num" data-stat="estimated">${m(p.estimatedMinor)}</td><td class="num">${m(p.settledMinor)}</td></tr>`;
    const welcome =
      query.welcome === '1' ? 'Welcome! Build your first link, or browse the products.' : undefined;
    return sendHtml(
      reply,
      page(
        {
          title: 'Dashboard',
          session,
          csrf: request.webCsrf,
          active: 'dashboard',
          notice: welcome,
        },
        html`<h1>Dashboard</h1>
<div class="cards">
<div class="card"><span class="label">Available balance</span><span class="value" data-balance="available">${b(balances.availableMinor)}</span><span class="label"><a href="/payouts">Withdraw</a></span></div>
<div class="card"><span class="label">Estimated, not settled yet</span><span class="value" data-balance="estimated">${b(balances.estimatedMinor)}</span>${held > 0n ? html`<span class="label" data-balance="held">of which ${b(held)} <a href="/orders">held for review</a></span>` : ''}</div>
<div class="card"><span class="label">In transit to your bank</span><span class="value">${b(balances.inTransitMinor)}</span></div>
<div class="card"><span class="label">Paid out</span><span class="value">${b(balances.paidOutMinor)}</span></div>
</div>
<div class="table-wrap" role="region" aria-label="Clicks and orders by period" tabindex="0"><table>
<thead><tr><th scope="col">Period</th><th scope="col" class="num">Clicks</th><th scope="col" class="num">Leads</th><th scope="col" class="num">Approved leads</th><th scope="col" class="num">Estimated commission</th><th scope="col" class="num">Settled commission</th></tr></thead>
<tbody>${period('Today', 'today', board.today)}${period('This month', 'this-month', board.thisMonth)}${period('Last month', 'last-month', board.lastMonth)}</tbody>
</table></div>
<p class="muted">Orders count on the day they were paid. Leads are sub-orders; approved leads have settled.</p>
<h2>Per day</h2>
<nav class="tabs" aria-label="Chart period"><a href="/dashboard?days=30"${days === 30 ? html` aria-current="true"` : ''}>30 days</a><a href="/dashboard?days=90"${days === 90 ? html` aria-current="true"` : ''}>90 days</a></nav>
<div class="grid2">
<figure><figcaption>Clicks</figcaption>${dailyBars(
          `Clicks per day over the last ${days} days`,
          series.days.map((d) => ({ day: d.day, value: Number(d.clicks) })),
        )}</figure>
<figure><figcaption>Leads</figcaption>${dailyBars(
          `Leads per day over the last ${days} days`,
          series.days.map((d) => ({ day: d.day, value: Number(d.leads) })),
        )}</figure>
</div>
<p><a href="/exports/orders.csv?from=${series.from}&amp;to=${series.to}" download>Orders of these ${days} days (CSV)</a> · <a href="/exports/clicks.csv?from=${series.from}&amp;to=${series.to}&amp;by=day" download>Clicks per day (CSV)</a></p>
<div class="grid2">
<section><h2>Top products this month</h2>${
          top.products.length === 0
            ? html`<p class="muted">No leads this month yet.</p>`
            : html`<div class="table-wrap" role="region" aria-label="Top products" tabindex="0"><table><thead><tr><th scope="col">Product</th><th scope="col" class="num">Leads</th><th scope="col" class="num">Estimated</th></tr></thead><tbody>${top.products.map(
                (p) =>
                  html`<tr><td>${p.title ?? p.productId}</td><td class="num">${p.leads.toString()}</td><td class="num">${m(p.estimatedMinor)}</td></tr>`,
              )}</tbody></table></div>`
        }</section>
<section><h2>Latest orders</h2>${
          recent.length === 0
            ? html`<p class="muted">No orders yet. <a href="/links">Build a link</a> and share it.</p>`
            : html`<div class="table-wrap" role="region" aria-label="Latest orders" tabindex="0"><table><thead><tr><th scope="col">Order</th><th scope="col" class="num">Commission</th><th scope="col">State</th></tr></thead><tbody>${recent.map(
                (r) =>
                  html`<tr><td><a href="/orders/${encodeURIComponent(r.orderId)}">${r.orderId}</a></td><td class="num">${b(r.settledMinor ?? (r.status === 'invalid' ? 0n : r.commissionMinor))}</td><td>${statusBadge(r.status)}</td></tr>`,
              )}</tbody></table></div>`
        }</section>
</div>
<div class="grid2">
<section><h2>This month by tracking id</h2>${breakdownTable('Tracking id', byTracking.rows, m)}</section>
<section><h2>This month by sub-id</h2>${breakdownTable('sub1', bySub.rows, m)}</section>
</div>`,
      ),
    );
  });
}

function breakdownTable(
  label: string,
  rows: readonly (ReportTotals & { key: string })[],
  m: (minor: bigint) => string,
): Html {
  if (rows.length === 0) return html`<p class="muted">Nothing this month yet.</p>`;
  return html`<div class="table-wrap" role="region" aria-label="By ${label}" tabindex="0"><table><thead><tr><th scope="col">${label}</th><th scope="col" class="num">Clicks</th><th scope="col" class="num">Leads</th><th scope="col" class="num">Estimated</th></tr></thead><tbody>${rows.map(
    (r) =>
      html`<tr><td>${r.key || '(none)'}</td><td class="num">${r.clicks.toString()}</td><td class="num">${r.leads.toString()}</td><td class="num">${m(r.estimatedMinor)}</td></tr>`,
  )}</tbody></table></div>`;
}
