import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../context.js';
import { isAppError } from '../../errors.js';
import { formatMoney, money } from '../../money.js';
import { type SellerReportRow, sellerReport } from '../../sellers/seller-reports.js';
import { sellerOrdersCsv, sellerReportCsv } from '../../sellers/seller-reports-csv.js';
import { queryText } from '../console/inputs.js';
import { tabs, withQuery } from '../console/view.js';
import { sellerOf } from '../guards.js';
import { html } from '../html.js';
import { errorPage, sendHtml } from '../plugin.js';
import { csvAttachment, type ReportRange, reportRange } from './report-range.js';
import { sellerPage } from './view.js';

const GROUPS = { day: 'Per day', product: 'Per product', category: 'Per category' } as const;
type By = keyof typeof GROUPS;
const byOf = (query: unknown): By => {
  const by = queryText(query, 'by', 10);
  return by === 'product' || by === 'category' ? by : 'day';
};

/** The range form: days, store; shared by the reports and the orders page. */
export async function rangeForm(
  ctx: Ctx,
  sellerId: string,
  action: string,
  range: ReportRange,
  extra: Record<string, string> = {},
) {
  const stores = await ctx.db
    .selectFrom('stores')
    .select(['id', 'name'])
    .where('seller_id', '=', sellerId)
    .orderBy('id')
    .limit(200)
    .execute();
  return html`<form class="panel row" method="get" action="${action}">
${Object.entries(extra).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
<div class="field"><label for="from">From</label><input id="from" name="from" type="date" value="${range.fromDay}"></div>
<div class="field"><label for="to">To</label><input id="to" name="to" type="date" value="${range.toDay}"></div>
<div class="field"><label for="store">Store</label><select id="store" name="store"><option value="">All your stores</option>${stores.map(
    (s) =>
      html`<option value="${s.id}"${s.id === range.storeId ? html` selected` : ''}>${s.name}</option>`,
  )}</select></div>
<button type="submit">Show</button>
</form>
${range.error ? html`<p class="form-error" role="alert">${range.error}</p>` : ''}`;
}

const amount = (minor: bigint, currency: string) => formatMoney(money(minor, currency));

/** GET /seller/reports (+ .csv, orders.csv) — affiliate-driven sales and commission by day, product or category. */
export function reportPages(web: FastifyInstance, ctx: Ctx): void {
  // GET /seller/reports — the report table, with its CSV links
  web.get('/seller/reports', async (request, reply) => {
    const seller = sellerOf(request, reply);
    if (!seller) return reply;
    const by = byOf(request.query);
    const range = reportRange(request.query, ctx.clock.now());
    let rows: SellerReportRow[] = [];
    let error = range.error;
    if (!error) {
      try {
        rows = await sellerReport(ctx, seller.sellerId, by, {
          from: range.from,
          to: range.to,
          ...(range.storeId ? { storeId: range.storeId } : {}),
        });
      } catch (e) {
        if (!isAppError(e) || e.status >= 500) throw e;
        error = e.message;
      }
    }
    const params = { from: range.fromDay, to: range.toDay, store: range.storeId };
    return sendHtml(
      reply,
      sellerPage(
        request,
        seller,
        { title: 'Reports', active: 'reports' },
        html`<h1>Reports</h1>
<p>Orders your products got through affiliates, the commission on them — estimated while the order is open, settled, or invalid — and, on <a href="${withQuery('/seller/orders', params)}">Orders</a>, the rate each one was locked at when it was paid.</p>
${tabs(
  'Group by',
  (Object.keys(GROUPS) as By[]).map((key) => ({
    href: withQuery('/seller/reports', { ...params, by: key }),
    text: GROUPS[key],
    current: key === by,
  })),
)}
${await rangeForm(ctx, seller.sellerId, '/seller/reports', { ...range, ...(error && !range.error ? { error } : {}) }, { by })}
<p class="row"><a class="button secondary" href="${withQuery('/seller/reports.csv', { ...params, by })}">Download this report (CSV)</a> <a class="button secondary" href="${withQuery('/seller/orders.csv', params)}">Download the orders (CSV)</a></p>
${
  error
    ? ''
    : rows.length === 0
      ? html`<p class="muted">No affiliate orders in this range.</p>`
      : html`<div class="table-wrap" role="region" aria-label="Report" tabindex="0"><table><thead><tr><th>${by === 'day' ? 'Day' : by === 'product' ? 'Product' : 'Category'}</th><th class="num">Orders</th><th class="num">Items</th><th class="num">Sales</th><th class="num">Commission estimated</th><th class="num">Settled</th><th class="num">Invalid</th></tr></thead><tbody>${rows.map(
          (r) =>
            html`<tr><td>${r.label}${by === 'day' ? '' : html` <code>${r.key}</code>`}</td><td class="num">${r.orders}</td><td class="num">${r.subOrders}</td><td class="num">${amount(r.salesMinor, r.currency)}</td><td class="num">${amount(r.estimatedMinor, r.currency)}</td><td class="num">${amount(r.settledMinor, r.currency)}</td><td class="num">${amount(r.invalidMinor, r.currency)}</td></tr>`,
        )}</tbody></table></div>`
}`,
      ),
      error ? 422 : 200,
    );
  });

  const refused = (request: Parameters<typeof errorPage>[0], error: unknown) => {
    if (!isAppError(error) || error.status >= 500) throw error;
    return {
      page: errorPage(request, 'That export could not be made', error.message),
      status: error.status,
    };
  };

  // GET /seller/reports.csv — the report as CSV
  web.get('/seller/reports.csv', async (request, reply) => {
    const seller = sellerOf(request, reply);
    if (!seller) return reply;
    const by = byOf(request.query);
    const range = reportRange(request.query, ctx.clock.now());
    if (range.error)
      return sendHtml(reply, errorPage(request, 'That export could not be made', range.error), 422);
    try {
      const text = await sellerReportCsv(ctx, seller.sellerId, by, {
        from: range.from,
        to: range.to,
        ...(range.storeId ? { storeId: range.storeId } : {}),
      });
      return csvAttachment(reply, `seller-report-${by}-${range.fromDay}-${range.toDay}.csv`).send(
        text,
      );
    } catch (error) {
      const r = refused(request, error);
      return sendHtml(reply, r.page, r.status);
    }
  });

  // GET /seller/orders.csv — every affiliate-driven order line of the range as CSV
  web.get('/seller/orders.csv', async (request, reply) => {
    const seller = sellerOf(request, reply);
    if (!seller) return reply;
    const range = reportRange(request.query, ctx.clock.now());
    if (range.error)
      return sendHtml(reply, errorPage(request, 'That export could not be made', range.error), 422);
    try {
      const chunks = await sellerOrdersCsv(ctx, seller.sellerId, {
        from: range.from,
        to: range.to,
        ...(range.storeId ? { storeId: range.storeId } : {}),
      });
      return csvAttachment(reply, `seller-orders-${range.fromDay}-${range.toDay}.csv`).send(
        Readable.from(chunks),
      );
    } catch (error) {
      const r = refused(request, error);
      return sendHtml(reply, r.page, r.status);
    }
  });
}
