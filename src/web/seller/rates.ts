import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type PlanRule, storePlans } from '../../catalog/list-stores.js';
import { externalId } from '../../catalog/schema.js';
import type { Ctx } from '../../context.js';
import { formatBasisPoints } from '../../money.js';
import { sellerCategories } from '../../sellers/list-seller-products.js';
import { scheduledEnrollments } from '../../sellers/scheduled-enrollments.js';
import { assertSellerStore } from '../../sellers/seller-access.js';
import { setSellerEnrollment } from '../../sellers/seller-enrollment.js';
import { setSellerRate } from '../../sellers/seller-rates.js';
import { effectiveDay, pathId, percentInput } from '../console/inputs.js';
import { noticeFor, when } from '../console/view.js';
import { type FormState, field, formMessage, parseForm, select } from '../forms.js';
import { type SellerSession, sellerOf } from '../guards.js';
import { type Html, html } from '../html.js';
import { csrfField } from '../layout.js';
import { seeOther, sendHtml } from '../plugin.js';
import { modeNote, programRules, refusal, sellerPage } from './view.js';

const NOTICES = {
  rate: 'Store rate recorded.',
  category: 'Category rate recorded.',
  enrolled: 'Category enrollment recorded.',
};
const SCOPES: Record<string, string> = {
  store: 'Store default',
  category: 'Category',
  product: 'Product',
  hot_product: 'Hot product',
};

type FormKey = 'rate' | 'category' | 'enroll';
type Refused = { storeId: string; key: FormKey; state: FormState; status: number };
type Store = { Params: { storeId: string } };

const storeRateForm = (now: Date) =>
  z.object({ rate: percentInput, effectiveFrom: effectiveDay(now) });
const categoryRateForm = (now: Date) =>
  z.object({
    categoryId: z.string().trim().min(1, 'choose a category').pipe(externalId),
    rate: percentInput,
    effectiveFrom: effectiveDay(now),
  });
const categoryEnrollForm = (now: Date) =>
  z.object({
    categoryId: z.string().trim().min(1, 'choose a category').pipe(externalId),
    enrolled: z.enum(['yes', 'no'], { error: 'enroll or withdraw' }),
    enrollFrom: effectiveDay(now),
  });

/** The seller's rules in force and scheduled, and the store-wide and category forms. */
async function showRates(
  ctx: Ctx,
  request: FastifyRequest,
  reply: FastifyReply,
  seller: SellerSession,
  refused?: Refused,
): Promise<FastifyReply> {
  const now = ctx.clock.now();
  const rules = await programRules(ctx);
  const stores = await ctx.db
    .selectFrom('stores')
    .select(['id', 'name'])
    .where('seller_id', '=', seller.sellerId)
    .orderBy('id')
    .limit(200)
    .execute();
  const ids = stores.map((s) => s.id);
  const [plans, enrollments, categories] = await Promise.all([
    storePlans(ctx.db, ids, now),
    scheduledEnrollments(ctx.db, ids, now),
    Promise.all(ids.map((id) => sellerCategories(ctx.db, seller.sellerId, id))),
  ]);
  const stateOf = (storeId: string, key: FormKey): FormState =>
    refused && refused.storeId === storeId && refused.key === key
      ? refused.state
      : { values: {}, errors: {} };
  const target = (t: string | null) => (t ? html`<code>${t}</code>` : '—');
  const storeSection = (store: { id: string; name: string }, i: number): Html => {
    const plan = plans.get(store.id);
    const options = [
      { value: '', label: 'Choose a category' },
      ...(categories[i] ?? []).map((c) => ({ value: c.id, label: c.name })),
    ];
    const action = `/seller/stores/${store.id}`;
    const rateForms = rules.sellerRates
      ? html`<form method="post" action="${action}/rate#s-${store.id}" novalidate>
<h3>Store default rate</h3>
${csrfField(request.webCsrf)}
${formMessage(stateOf(store.id, 'rate'))}
${field('rate', 'Rate (%)', stateOf(store.id, 'rate'), { inputmode: 'decimal', required: true })}
${field('effectiveFrom', 'From (UTC day)', stateOf(store.id, 'rate'), { type: 'date', hint: 'Empty: now.' })}
<button type="submit">Set store rate</button>
</form>
<form method="post" action="${action}/category-rate#s-${store.id}" novalidate>
<h3>Category rate</h3>
${csrfField(request.webCsrf)}
${formMessage(stateOf(store.id, 'category'))}
${select('categoryId', 'Category', options, stateOf(store.id, 'category'))}
${field('rate', 'Rate (%)', stateOf(store.id, 'category'), { inputmode: 'decimal', required: true })}
${field('effectiveFrom', 'From (UTC day)', stateOf(store.id, 'category'), { type: 'date', hint: 'Empty: now.' })}
<button type="submit">Set category rate</button>
</form>`
      : html`${formMessage(stateOf(store.id, 'rate'))}${formMessage(stateOf(store.id, 'category'))}<p class="muted">Rates are read-only: the operator’s category table applies.</p>`;
    const scheduledRules = (plan?.scheduled ?? []).map(
      (r) =>
        html`<tr><td>${SCOPES[r.scope] ?? r.scope}</td><td>${target(r.targetId)}</td><td class="num">${r.rateBp === null ? 'removed' : formatBasisPoints(r.rateBp)}</td><td>${when(r.effectiveFrom)}</td></tr>`,
    );
    const scheduledEnroll = enrollments
      .filter((e) => e.storeId === store.id)
      .map(
        (e) =>
          html`<tr><td>${SCOPES[e.scope] ?? e.scope} ${e.enrolled ? 'enrolled' : 'withdrawn'}</td><td>${target(e.targetId)}</td><td class="num">—</td><td>${when(e.effectiveFrom)}</td></tr>`,
      );
    const scheduled = [...scheduledRules, ...scheduledEnroll];
    return html`<section class="panel" id="s-${store.id}" aria-labelledby="h-${store.id}">
<h2 id="h-${store.id}">${store.name} <code>${store.id}</code></h2>
<h3>Rates in force</h3>
${
  plan && plan.rules.length > 0
    ? html`<div class="table-wrap" role="region" aria-label="Rates in force, ${store.name}" tabindex="0"><table><thead><tr><th>Scope</th><th>Target</th><th class="num">Rate</th><th>Since</th></tr></thead><tbody>${plan.rules.map(
        (r: PlanRule) =>
          html`<tr><td>${SCOPES[r.scope] ?? r.scope}</td><td>${target(r.targetId)}</td><td class="num">${formatBasisPoints(r.rateBp)}</td><td>${when(r.effectiveFrom)}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p class="muted">No rates of yours in force.</p>`
}
<h3>Scheduled changes</h3>
${
  scheduled.length > 0
    ? html`<div class="table-wrap" role="region" aria-label="Scheduled changes, ${store.name}" tabindex="0"><table><thead><tr><th>Change</th><th>Target</th><th class="num">Rate</th><th>From</th></tr></thead><tbody>${scheduled}</tbody></table></div>`
    : html`<p class="muted">None.</p>`
}
<div class="grid2">
<div>${rateForms}</div>
<form method="post" action="${action}/category-enrollment#s-${store.id}" novalidate>
<h3>Enroll or withdraw a category</h3>
${csrfField(request.webCsrf)}
${formMessage(stateOf(store.id, 'enroll'))}
${select('categoryId', 'Category', options, stateOf(store.id, 'enroll'))}
${field('enrollFrom', 'From (UTC day)', stateOf(store.id, 'enroll'), { type: 'date', hint: 'Empty: now.' })}
<p class="row"><button type="submit" name="enrolled" value="yes">Enroll</button> <button type="submit" name="enrolled" value="no" class="secondary">Withdraw</button></p>
</form>
</div>
</section>`;
  };
  return sendHtml(
    reply,
    sellerPage(
      request,
      seller,
      { title: 'Rates & enrollment', active: 'rates', notice: noticeFor(request.query, NOTICES) },
      html`<h1>Rates &amp; enrollment</h1>
${modeNote(rules, formatBasisPoints)}
<p class="muted">The most specific rate wins: a product’s rate, then its category’s, then the store default. A change dated later leaves orders paid before it at the rate they were locked at. Product and hot rates are set on each <a href="/seller/products">product</a>; the whole store joins or leaves on the <a href="/seller">overview</a>.</p>
${stores.length === 0 ? html`<p>You have no stores yet.</p>` : stores.map(storeSection)}`,
    ),
    refused?.status ?? 200,
  );
}

/** GET /seller/rates and the store-default, category-rate and category-enrollment forms. */
export function ratePages(web: FastifyInstance, ctx: Ctx): void {
  // GET /seller/rates — the seller's rules in force and scheduled, with the store-wide forms
  web.get('/seller/rates', async (request, reply) => {
    const seller = sellerOf(request, reply);
    if (!seller) return reply;
    return showRates(ctx, request, reply, seller);
  });

  /** One store form: parse, call the service, show the refusal at its form or go back. */
  const storePost = <S extends z.ZodType>(
    path: string,
    key: FormKey,
    schema: (now: Date) => S,
    act: (seller: SellerSession, storeId: string, data: z.output<S>) => Promise<unknown>,
    fieldOf: (code: string) => string | undefined,
  ) =>
    web.post<Store>(path, async (request, reply) => {
      const seller = sellerOf(request, reply);
      if (!seller) return reply;
      const storeId = pathId(request.params.storeId, 'store_not_found', 'store');
      await assertSellerStore(ctx.db, seller.sellerId, storeId);
      const form = parseForm(schema(ctx.clock.now()), request.body);
      if (!form.ok)
        return showRates(ctx, request, reply, seller, {
          storeId,
          key,
          state: form.state,
          status: 422,
        });
      try {
        await act(seller, storeId, form.data);
      } catch (error) {
        const refused = refusal(error, form.values, fieldOf);
        return showRates(ctx, request, reply, seller, { storeId, key, ...refused });
      }
      return seeOther(
        reply,
        `/seller/rates?done=${key === 'enroll' ? 'enrolled' : key}#s-${storeId}`,
      );
    });
  const rateField = (code: string) =>
    code === 'rate_out_of_bounds'
      ? 'rate'
      : code === 'effective_date_in_past'
        ? 'effectiveFrom'
        : code === 'category_not_found'
          ? 'categoryId'
          : undefined;

  // POST /seller/stores/:storeId/rate — the store's default rate, now or from a day
  storePost(
    '/seller/stores/:storeId/rate',
    'rate',
    storeRateForm,
    (seller, storeId, d) =>
      setSellerRate(ctx, seller.sellerId, {
        scope: 'store',
        storeId,
        rateBp: d.rate,
        ...(d.effectiveFrom ? { effectiveFrom: d.effectiveFrom } : {}),
      }),
    rateField,
  );

  // POST /seller/stores/:storeId/category-rate — a category's rate in the store
  storePost(
    '/seller/stores/:storeId/category-rate',
    'category',
    categoryRateForm,
    (seller, storeId, d) =>
      setSellerRate(ctx, seller.sellerId, {
        scope: 'category',
        storeId,
        targetId: d.categoryId,
        rateBp: d.rate,
        ...(d.effectiveFrom ? { effectiveFrom: d.effectiveFrom } : {}),
      }),
    rateField,
  );

  // POST /seller/stores/:storeId/category-enrollment — a category of the store in or out
  storePost(
    '/seller/stores/:storeId/category-enrollment',
    'enroll',
    categoryEnrollForm,
    (seller, storeId, d) =>
      setSellerEnrollment(ctx, seller.sellerId, {
        storeId,
        scope: 'category',
        targetId: d.categoryId,
        enrolled: d.enrolled === 'yes',
        ...(d.enrollFrom ? { effectiveFrom: d.enrollFrom } : {}),
      }),
    (code) =>
      code === 'effective_date_in_past'
        ? 'enrollFrom'
        : code === 'category_not_found'
          ? 'categoryId'
          : undefined,
  );
}
