import type { FastifyInstance } from 'fastify';
import { countAffiliatesByStatus, listAffiliates } from '../../affiliates/queries.js';
import { type AffiliateStatus, affiliateStatuses } from '../../affiliates/schema.js';
import type { Ctx } from '../../context.js';
import { operatorOf } from '../guards.js';
import { html } from '../html.js';
import { sendHtml } from '../plugin.js';
import { queryText } from './inputs.js';
import { affiliateBadge, consolePage, tabs, when, withQuery } from './view.js';

const PAGE = 50;

/** GET /console/affiliates — every affiliate, by status, searchable by email, a page at a time. */
export function affiliateListPage(web: FastifyInstance, ctx: Ctx): void {
  web.get('/console/affiliates', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    const statusText = queryText(request.query, 'status', 20);
    const status = affiliateStatuses.find((s) => s === statusText) as AffiliateStatus | undefined;
    const email = queryText(request.query, 'q', 254);
    const after = queryText(request.query, 'after', 64);
    const [counts, rows] = await Promise.all([
      countAffiliatesByStatus(ctx.db),
      listAffiliates(ctx.db, { status, email, after, limit: PAGE + 1 }),
    ]);
    const shown = rows.slice(0, PAGE);
    const last = shown.at(-1);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const link = (params: Record<string, string | undefined>) =>
      withQuery('/console/affiliates', { status, q: email, ...params });
    return sendHtml(
      reply,
      consolePage(
        request,
        operator,
        { title: 'Affiliates', active: 'affiliates' },
        html`<h1>Affiliates</h1>
${tabs('Status', [
  {
    href: withQuery('/console/affiliates', { q: email }),
    text: `All (${total})`,
    current: !status,
  },
  ...affiliateStatuses.map((s) => ({
    href: withQuery('/console/affiliates', { status: s, q: email }),
    text: `${s} (${counts[s]})`,
    current: status === s,
  })),
])}
<form method="get" action="/console/affiliates" class="row" role="search">
${status ? html`<input type="hidden" name="status" value="${status}">` : ''}
<div class="field"><label for="f-q">Email contains</label><input id="f-q" name="q" type="search" value="${email ?? ''}" autocomplete="off"></div>
<div class="field"><button type="submit">Search</button></div>
</form>
${
  shown.length === 0
    ? html`<p class="muted">No affiliates${email ? html` with “${email}” in their email` : ''}${status ? ` who are ${status}` : ''}.</p>`
    : html`<div class="table-wrap" role="region" aria-label="Affiliates" tabindex="0"><table>
<thead><tr><th>Email</th><th>Status</th><th>Country</th><th>Website</th><th>Joined</th></tr></thead>
<tbody>${shown.map(
        (a) => html`<tr>
<td><a href="/console/affiliates/${encodeURIComponent(a.id)}">${a.email}</a></td>
<td>${affiliateBadge(a.status)}</td>
<td>${a.country}</td>
<td class="wrap">${a.websiteUrl}</td>
<td>${when(a.createdAt)}</td>
</tr>`,
      )}</tbody></table></div>`
}
<p class="row">${after ? html`<a class="button secondary" href="${link({})}">First page</a>` : ''}${
          rows.length > PAGE && last
            ? html`<a class="button secondary" href="${link({ after: last.id })}">Next page</a>`
            : ''
        }</p>`,
      ),
    );
  });
}
