import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { WebSession } from '../../auth/sessions.js';
import { categoryTable } from '../../catalog/category-table.js';
import { listStores, type StorePlan, storePlans } from '../../catalog/list-stores.js';
import { externalId } from '../../catalog/schema.js';
import { setCommissionRate } from '../../catalog/set-commission-rate.js';
import type { Ctx } from '../../context.js';
import { isAppError } from '../../errors.js';
import { inviteSeller } from '../../sellers/invite-seller.js';
import { getSettings } from '../../settings/get-settings.js';
import { emptyForm, type FormState, field, formMessage, parseForm } from '../forms.js';
import { operatorOf } from '../guards.js';
import { html } from '../html.js';
import { csrfField } from '../layout.js';
import { seeOther, sendHtml } from '../plugin.js';
import { queryText } from './inputs.js';
import { categoryRateForm, planErrorField, refusedForm } from './plan-forms.js';
import { type InviteOutcome, invitedPanel, inviteForm } from './seller-invite.js';
import { badge, consolePage, noticeFor, percent, when, withQuery } from './view.js';

const PAGE = 50;
const inviteFormSchema = z.object({
  sellerId: externalId,
  email: z.string().trim().max(254),
});

/** One line about a store's plan: its default rate, how many other rules, whether it is in. */
function planSummary(plan: StorePlan | undefined) {
  if (!plan) return html`—`;
  const storeRule = plan.rules.find((r) => r.scope === 'store');
  const others = plan.rules.filter((r) => r.scope !== 'store');
  const enrolled = plan.enrollments.find((e) => e.scope === 'store')?.enrolled;
  return html`${enrolled ? badge('enrolled', 'ok') : badge('not enrolled', 'wait')} ${storeRule ? `default ${percent(storeRule.rateBp)}` : 'no default rate'}${others.length > 0 ? `, ${others.length} more specific rule${others.length === 1 ? '' : 's'}` : ''}`;
}

/** GET /console/sellers, POST /console/sellers/category-rates — stores, plans, the category table. */
export function sellerPages(web: FastifyInstance, ctx: Ctx, baseUrl: string): void {
  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    operator: WebSession,
    state: FormState = emptyForm,
    status = 200,
    invited?: InviteOutcome,
  ) => {
    const now = ctx.clock.now();
    const search = queryText(request.query, 'q', 100);
    const after = queryText(request.query, 'after', 64);
    const [stores, table, settings] = await Promise.all([
      listStores(ctx.db, { search, after, limit: PAGE + 1 }),
      categoryTable(ctx.db, now),
      getSettings(ctx.db, now),
    ]);
    const shown = stores.slice(0, PAGE);
    const plans = await storePlans(
      ctx.db,
      shown.map((s) => s.storeId),
      now,
    );
    const last = shown.at(-1);
    // One invitation form per seller: on the first of its stores on the page.
    const firstOfSeller = new Set(
      shown.filter((s, i) => shown.findIndex((o) => o.sellerId === s.sellerId) === i),
    );
    const notice = noticeFor(request.query, { category: 'Category rate recorded.' });
    return sendHtml(
      reply,
      consolePage(
        request,
        operator,
        { title: 'Sellers', active: 'sellers', notice },
        html`<h1>Sellers and commission plans</h1>
${invitedPanel(invited)}
<p>Commission mode: <strong>${settings.commissionMode === 'seller_rates' ? 'seller rates' : "the operator's category table"}</strong> (<a href="/console/program">change</a>). Seller rates are bounded by ${percent(settings.sellerRateMinBp)}–${percent(settings.sellerRateMaxBp)}.</p>
<form method="get" action="/console/sellers" class="row" role="search">
<div class="field"><label for="f-q">Store or seller</label><input id="f-q" name="q" type="search" value="${search ?? ''}" autocomplete="off"></div>
<div class="field"><button type="submit">Search</button></div>
</form>
${
  shown.length === 0
    ? html`<p class="muted">No stores${search ? html` match “${search}”` : ''}.</p>`
    : html`<div class="table-wrap" role="region" aria-label="Stores" tabindex="0"><table><thead><tr><th>Store</th><th>Seller</th><th>Plan</th><th>Since</th><th>Seller center</th></tr></thead><tbody>${shown.map(
        (s, i) =>
          html`<tr><td><a href="/console/sellers/${encodeURIComponent(s.storeId)}">${s.storeName}</a><br><code>${s.storeId}</code></td><td>${s.sellerName}${s.sellerEmail ? html`<br><span class="muted">${s.sellerEmail}</span>` : ''}</td><td>${planSummary(plans.get(s.storeId))}</td><td>${when(s.createdAt)}</td><td>${firstOfSeller.has(s) ? inviteForm(request.webCsrf, s, i, invited) : html`<span class="muted">see above</span>`}</td></tr>`,
      )}</tbody></table></div>`
}
<p class="row">${after ? html`<a class="button secondary" href="${withQuery('/console/sellers', { q: search })}">First page</a>` : ''}${
          stores.length > PAGE && last
            ? html`<a class="button secondary" href="${withQuery('/console/sellers', { q: search, after: last.storeId })}">Next page</a>`
            : ''
        }</p>
<section class="panel" aria-labelledby="h-table">
<h2 id="h-table">The operator's category table</h2>
<p>What every enrolled product pays in <em>fixed category</em> mode, nearest category first; bounded by ${percent(settings.categoryRateMinBp)}–${percent(settings.categoryRateMaxBp)}.</p>
${
  table.length === 0
    ? html`<p class="muted">No category rates yet.</p>`
    : html`<div class="table-wrap" role="region" aria-label="Category table" tabindex="0"><table><thead><tr><th>Category</th><th class="num">Rate</th><th>Since</th></tr></thead><tbody>${table.map(
        (r) =>
          html`<tr><td>${r.name} <code>${r.categoryId}</code></td><td class="num">${percent(r.rateBp)}</td><td>${when(r.effectiveFrom)}</td></tr>`,
      )}</tbody></table></div>`
}
<form method="post" action="/console/sellers/category-rates#h-table" novalidate>
${csrfField(request.webCsrf)}
${formMessage(state)}
<div class="row">
${field('targetId', 'Category id', state, { required: true })}
${field('rate', 'Rate (%)', state, { inputmode: 'decimal', required: true })}
${field('effectiveFrom', 'From (UTC day)', state, { type: 'date', hint: 'Empty: now.' })}
</div>
<button type="submit">Set category rate</button>
</form>
</section>`,
      ),
      status,
    );
  };

  // GET /console/sellers — stores with their plans, and the operator's category table
  web.get('/console/sellers', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    return show(request, reply, operator);
  });

  // POST /console/sellers/invite — a seller-center login for a seller; the link is shown once
  web.post('/console/sellers/invite', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    const form = parseForm(inviteFormSchema, request.body);
    if (!form.ok)
      return show(request, reply, operator, emptyForm, 422, {
        ok: false,
        sellerId: form.state.values.sellerId ?? '',
        email: form.state.values.email ?? '',
        message: Object.values(form.state.errors)[0] ?? 'check the form',
      });
    const { sellerId, email } = form.data;
    try {
      const invite = await inviteSeller(ctx, { sellerId, email: email || undefined, baseUrl });
      return show(request, reply, operator, emptyForm, 200, { ok: true, invite });
    } catch (error) {
      if (!isAppError(error)) throw error;
      return show(request, reply, operator, emptyForm, error.status === 404 ? 404 : 422, {
        ok: false,
        sellerId,
        email,
        message: error.message,
      });
    }
  });

  // POST /console/sellers/category-rates — a row of the operator's category table
  web.post('/console/sellers/category-rates', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    const form = parseForm(categoryRateForm(ctx.clock.now()), request.body);
    if (!form.ok) return show(request, reply, operator, form.state, 422);
    const { targetId, rate, effectiveFrom } = form.data;
    try {
      await setCommissionRate(ctx, {
        scope: 'program_category',
        targetId,
        rateBp: rate,
        createdBy: operator.email,
        ...(effectiveFrom ? { effectiveFrom } : {}),
      });
    } catch (error) {
      if (!isAppError(error)) throw error;
      const state = refusedForm(form.values, error, planErrorField(error));
      return show(request, reply, operator, state, 422);
    }
    return seeOther(reply, '/console/sellers?done=category');
  });
}
