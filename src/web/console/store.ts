import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSession } from '../../auth/sessions.js';
import { findStore, type PlanRule, storePlans } from '../../catalog/list-stores.js';
import type { Ctx } from '../../context.js';
import { AppError } from '../../errors.js';
import { getSettings } from '../../settings/get-settings.js';
import { type FormState, field, formMessage, select } from '../forms.js';
import { operatorOf } from '../guards.js';
import { type Html, html } from '../html.js';
import { csrfField } from '../layout.js';
import { sendHtml } from '../plugin.js';
import { pathId } from './inputs.js';
import { ENROLLMENT_SCOPES, STORE_RULE_SCOPES } from './plan-forms.js';
import { badge, consolePage, noticeFor, percent, when } from './view.js';

const SCOPE_LABELS: Record<string, string> = {
  store: 'Store default',
  category: 'Category',
  product: 'Product',
  hot_product: 'Hot product',
};

const NOTICES = {
  rate: 'Rate recorded.',
  removed: 'Rule removed.',
  enrolled: 'Enrollment recorded.',
};

export type StoreForms = { rate?: FormState; enroll?: FormState; status?: number };

/** The store page, with the forms' states after a refused post. */
export async function showStore(
  ctx: Ctx,
  request: FastifyRequest,
  reply: FastifyReply,
  operator: WebSession,
  storeId: string,
  forms: StoreForms = {},
): Promise<FastifyReply> {
  const now = ctx.clock.now();
  const store = await findStore(ctx.db, pathId(storeId, 'store_not_found', 'store'));
  if (!store) throw new AppError('store_not_found', `no store ${storeId}`);
  const [plans, settings] = await Promise.all([
    storePlans(ctx.db, [storeId], now),
    getSettings(ctx.db, now),
  ]);
  const plan = plans.get(storeId);
  const rate = forms.rate ?? { values: { scope: 'store' }, errors: {} };
  const enroll = forms.enroll ?? { values: { enrollScope: 'store' }, errors: {} };
  const action = `/console/sellers/${encodeURIComponent(storeId)}`;
  const target = (t: string | null) => (t ? html`<code>${t}</code>` : '—');
  const removeButton = (r: PlanRule): Html =>
    html`<form method="post" action="${action}/rates/remove">${csrfField(request.webCsrf)}<input type="hidden" name="scope" value="${r.scope}"><input type="hidden" name="targetId" value="${r.targetId ?? ''}"><button type="submit" class="secondary">Remove</button></form>`;
  return sendHtml(
    reply,
    consolePage(
      request,
      operator,
      { title: store.storeName, active: 'sellers', notice: noticeFor(request.query, NOTICES) },
      html`<p><a href="/console/sellers">← Sellers</a></p>
<h1>${store.storeName}</h1>
<p>Store <code>${store.storeId}</code> of ${store.sellerName}${store.sellerEmail ? ` (${store.sellerEmail})` : ''}.</p>
${plan?.truncated ? html`<p class="form-error">This store has more plan changes than one page reads: rules set long ago may be missing below.</p>` : ''}
<h2>Rates in force</h2>
${
  plan && plan.rules.length > 0
    ? html`<div class="table-wrap" role="region" aria-label="Rates in force" tabindex="0"><table><thead><tr><th>Scope</th><th>Target</th><th class="num">Rate</th><th>Since</th><th><span class="visually-hidden">Remove</span></th></tr></thead><tbody>${plan.rules.map(
        (r) =>
          html`<tr><td>${SCOPE_LABELS[r.scope] ?? r.scope}</td><td>${target(r.targetId)}</td><td class="num">${percent(r.rateBp)}</td><td>${when(r.effectiveFrom)}</td><td>${removeButton(r)}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p class="muted">No rates: enrolled products of this store pay nothing in seller-rates mode.</p>`
}
${
  plan && plan.scheduled.length > 0
    ? html`<h2>Scheduled rate changes</h2><div class="table-wrap" role="region" aria-label="Scheduled rate changes" tabindex="0"><table><thead><tr><th>Scope</th><th>Target</th><th class="num">Rate</th><th>From</th></tr></thead><tbody>${plan.scheduled.map(
        (r) =>
          html`<tr><td>${SCOPE_LABELS[r.scope] ?? r.scope}</td><td>${target(r.targetId)}</td><td class="num">${r.rateBp === null ? 'removed' : percent(r.rateBp)}</td><td>${when(r.effectiveFrom)}</td></tr>`,
      )}</tbody></table></div>`
    : ''
}
<h2>Enrollment</h2>
${
  plan && plan.enrollments.length > 0
    ? html`<div class="table-wrap" role="region" aria-label="Enrollment" tabindex="0"><table><thead><tr><th>Scope</th><th>Target</th><th>In the program</th><th>Since</th></tr></thead><tbody>${plan.enrollments.map(
        (e) =>
          html`<tr><td>${SCOPE_LABELS[e.scope] ?? e.scope}</td><td>${target(e.targetId)}</td><td>${e.enrolled ? badge('enrolled', 'ok') : badge('withdrawn', 'bad')}</td><td>${when(e.effectiveFrom)}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p class="muted">Not enrolled: its products pay no commission.</p>`
}
<div class="grid2">
<section class="panel" aria-labelledby="h-rate">
<h2 id="h-rate">Set a rate</h2>
<p>Between ${percent(settings.sellerRateMinBp)} and ${percent(settings.sellerRateMaxBp)}; the most specific rule wins. A hot-product rate must beat the product's normal rate.</p>
<form method="post" action="${action}/rates#h-rate" novalidate>
${csrfField(request.webCsrf)}
${formMessage(rate)}
${select('scope', 'Scope', STORE_RULE_SCOPES, rate)}
${field('targetId', 'Category or product id', rate, { hint: 'Empty for the store default.' })}
${field('rate', 'Rate (%)', rate, { inputmode: 'decimal', required: true })}
${field('effectiveFrom', 'From (UTC day)', rate, { type: 'date', hint: 'Empty: now.' })}
<button type="submit">Set rate</button>
</form>
</section>
<section class="panel" aria-labelledby="h-enroll">
<h2 id="h-enroll">Enroll or withdraw</h2>
<form method="post" action="${action}/enrollments#h-enroll" novalidate>
${csrfField(request.webCsrf)}
${formMessage(enroll)}
${select('enrollScope', 'Scope', ENROLLMENT_SCOPES, enroll)}
${field('enrollTarget', 'Category or product id', enroll, { hint: 'Empty for the whole store.' })}
${field('enrollFrom', 'From (UTC day)', enroll, { type: 'date', hint: 'Empty: now.' })}
<p class="row"><button type="submit" name="enrolled" value="yes">Enroll</button> <button type="submit" name="enrolled" value="no" class="secondary">Withdraw</button></p>
</form>
</section>
</div>`,
    ),
    forms.status ?? 200,
  );
}

/** GET /console/sellers/:storeId — one store's plan, with the forms that change it. */
export function storePage(web: FastifyInstance, ctx: Ctx): void {
  web.get<{ Params: { storeId: string } }>('/console/sellers/:storeId', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!operator) return reply;
    return showStore(ctx, request, reply, operator, request.params.storeId, {});
  });
}
