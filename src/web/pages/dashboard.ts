import type { FastifyInstance } from 'fastify';
import { DAY_MS } from '../../clock.js';
import type { Ctx } from '../../context.js';
import { formatMoney, money } from '../../money.js';
import { affiliateSubOrdersNewestFirst } from '../../orders/affiliate-sub-orders.js';
import { getBalances } from '../../payouts/balances.js';
import { clickStats } from '../../tracking/click-stats.js';
import { dailyBars } from '../chart.js';
import { formValues } from '../forms.js';
import { affiliateOf } from '../guards.js';
import { html } from '../html.js';
import { page } from '../layout.js';
import { sendHtml } from '../plugin.js';
import { statusBadge } from '../status-words.js';

const day = (at: Date) => at.toISOString().slice(0, 10);

/** GET /dashboard — clicks, commission and balances at a glance, from rollups and cached balances. */
export function dashboardPage(web: FastifyInstance, ctx: Ctx): void {
  web.get('/dashboard', async (request, reply) => {
    const session = affiliateOf(request, reply);
    if (!session) return reply;
    const query = formValues(request.query);
    const span = query.days === '90' ? 90 : 30;
    const now = ctx.clock.now();
    const today = day(now);
    const monthStart = `${today.slice(0, 7)}-01`;
    const lastMonthEnd = day(new Date(Date.parse(monthStart) - DAY_MS));
    const lastMonthStart = `${lastMonthEnd.slice(0, 7)}-01`;
    const from = day(new Date(now.getTime() - (span - 1) * DAY_MS));
    const id = session.affiliateId;
    const [byDay, byTracking, bySub, balances, recent] = await Promise.all([
      clickStats(ctx.db, {
        affiliateId: id,
        from: [from, lastMonthStart].sort()[0] as string,
        to: today,
        by: 'day',
      }),
      clickStats(ctx.db, { affiliateId: id, from: monthStart, to: today, by: 'tracking_id' }),
      clickStats(ctx.db, { affiliateId: id, from: monthStart, to: today, by: 'sub1' }),
      getBalances(ctx, id),
      affiliateSubOrdersNewestFirst(ctx.db, id, { limit: 5 }),
    ]);
    const clicksOn = new Map(byDay.map((r) => [r.key, Number(r.clicks)]));
    const sum = (a: string, b: string) =>
      byDay.filter((r) => r.key >= a && r.key <= b).reduce((n, r) => n + Number(r.clicks), 0);
    const series = Array.from({ length: span }, (_, i) => {
      const d = day(new Date(Date.parse(from) + i * DAY_MS));
      return { day: d, value: clicksOn.get(d) ?? 0 };
    });
    const m = (minor: bigint) => formatMoney(money(minor, balances.currency));
    const welcome =
      query.welcome === '1'
        ? 'Welcome! Build your first link below, or browse the products.'
        : undefined;
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
<div class="card"><span class="label">Clicks today</span><span class="value" data-stat="clicks-today">${sum(today, today)}</span></div>
<div class="card"><span class="label">Clicks this month</span><span class="value" data-stat="clicks-month">${sum(monthStart, today)}</span></div>
<div class="card"><span class="label">Clicks last month</span><span class="value">${sum(lastMonthStart, lastMonthEnd)}</span></div>
<div class="card"><span class="label">Estimated commission</span><span class="value" data-stat="estimated">${m(balances.estimatedMinor)}</span><span class="label">paid orders, not settled yet</span></div>
<div class="card"><span class="label">Available balance</span><span class="value" data-stat="available">${m(balances.availableMinor)}</span><span class="label"><a href="/payouts">Withdraw</a></span></div>
<div class="card"><span class="label">Paid out</span><span class="value">${m(balances.paidOutMinor)}</span></div>
</div>
<h2>Clicks per day</h2>
<nav class="tabs" aria-label="Period"><a href="/dashboard?days=30"${span === 30 ? html` aria-current="true"` : ''}>30 days</a><a href="/dashboard?days=90"${span === 90 ? html` aria-current="true"` : ''}>90 days</a></nav>
${dailyBars(`Clicks per day over the last ${span} days`, series)}
<div class="grid2">
<section><h2>Latest orders</h2>${
          recent.length === 0
            ? html`<p class="panel muted">No orders yet. <a href="/links">Build a link</a> and share it.</p>`
            : html`<div class="table-wrap"><table><thead><tr><th>Order</th><th class="num">Commission</th><th>State</th></tr></thead><tbody>${recent.map(
                (r) =>
                  html`<tr><td><a href="/orders/${encodeURIComponent(r.orderId)}">${r.orderId}</a></td><td class="num">${m(r.settledMinor ?? (r.status === 'invalid' ? 0n : r.commissionMinor))}</td><td>${statusBadge(r.status)}</td></tr>`,
              )}</tbody></table></div>`
        }</section>
<section><h2>This month by tracking id</h2>${breakdown(byTracking)}<h2>By sub-id</h2>${breakdown(bySub)}</section>
</div>`,
      ),
    );
  });
}

function breakdown(rows: readonly { key: string; clicks: bigint; uniqueClicks: bigint }[]) {
  if (rows.length === 0) return html`<p class="muted">No clicks this month.</p>`;
  return html`<div class="table-wrap"><table><thead><tr><th>Key</th><th class="num">Clicks</th><th class="num">Unique</th></tr></thead><tbody>${rows.map(
    (r) =>
      html`<tr><td>${r.key || '(none)'}</td><td class="num">${r.clicks.toString()}</td><td class="num">${r.uniqueClicks.toString()}</td></tr>`,
  )}</tbody></table></div>`;
}
