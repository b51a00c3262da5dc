import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { categoryTable } from '../../catalog/category-table.js';
import { categoryChain } from '../../catalog/queries.js';
import type { Ctx } from '../../context.js';
import { formatBasisPoints, formatMoney, money } from '../../money.js';
import { sellerProduct } from '../../sellers/seller-access.js';
import { setSellerEnrollment } from '../../sellers/seller-enrollment.js';
import { setSellerRate } from '../../sellers/seller-rates.js';
import { effectiveDay, pathId, percentInput } from '../console/inputs.js';
import { noticeFor, when } from '../console/view.js';
import { type FormState, field, formMessage, parseForm } from '../forms.js';
import { type SellerSession, sellerOf } from '../guards.js';
import { type Html, html } from '../html.js';
import { csrfField } from '../layout.js';
import { seeOther, sendHtml } from '../plugin.js';
import { productStandings } from './product-rates.js';
import { modeNote, programRules, refusal, sellerPage } from './view.js';

const NOTICES = {
  rate: 'Rate recorded.',
  hot: 'Hot rate recorded.',
  enrolled: 'Enrollment recorded.',
};

type Forms = { rate?: FormState; hot?: FormState; enroll?: FormState; status?: number };
type Product = { Params: { productId: string } };

const rateForm = (now: Date) => z.object({ rate: percentInput, effectiveFrom: effectiveDay(now) });
const hotForm = (now: Date) => z.object({ hotRate: percentInput, hotFrom: effectiveDay(now) });
const enrollForm = (now: Date) =>
  z.object({
    enrolled: z.enum(['yes', 'no'], { error: 'enroll or withdraw' }),
    enrollFrom: effectiveDay(now),
  });

/** The field a rate refusal is about: the rate, the date, or the form as a whole. */
const rateField = (rate: string, from: string) => (code: string) =>
  code === 'rate_out_of_bounds' || code === 'hot_rate_not_above_normal'
    ? rate
    : code === 'effective_date_in_past'
      ? from
      : undefined;

/** One of the seller's products with its rate, hot rate and enrollment forms. */
async function showProduct(
  ctx: Ctx,
  request: FastifyRequest,
  reply: FastifyReply,
  seller: SellerSession,
  productId: string,
  forms: Forms = {},
): Promise<FastifyReply> {
  const product = await sellerProduct(
    ctx.db,
    seller.sellerId,
    pathId(productId, 'product_not_found', 'product'),
  );
  const rules = await programRules(ctx);
  const standing = (await productStandings(ctx, [product])).get(product.productId);
  const blank = { values: {}, errors: {} };
  const action = `/seller/products/${product.productId}`;
  const locked = rules.sellerRates ? html`` : html` disabled`;
  let table: Html = html``;
  if (!rules.sellerRates) {
    const [rows, chain] = await Promise.all([
      categoryTable(ctx.db, ctx.clock.now()),
      categoryChain(ctx.db, product.categoryId),
    ]);
    const byId = new Map(rows.map((r) => [r.categoryId, r]));
    const applies = chain.map((id) => byId.get(id)).find((r) => r !== undefined);
    table = applies
      ? html`<p>The operator’s category table applies: <strong>${formatBasisPoints(applies.rateBp)}</strong> for ${applies.name} (since ${when(applies.effectiveFrom)}).</p>`
      : html`<p>The operator’s category table applies; it has no rate for this product’s category.</p>`;
  }
  const rateFormHtml = (
    id: string,
    title: string,
    path: string,
    state: FormState,
    names: [string, string],
    hint: string,
  ) => html`<section class="panel" aria-labelledby="${id}">
<h2 id="${id}">${title}</h2>
<p class="hint">${hint}</p>
${
  rules.sellerRates
    ? html`<form method="post" action="${path}#${id}" novalidate>
${csrfField(request.webCsrf)}
${formMessage(state)}
${field(names[0], 'Rate (%)', state, { inputmode: 'decimal', required: true, placeholder: 'e.g. 12.5' })}
${field(names[1], 'From (UTC day)', state, { type: 'date', hint: 'Empty: now. Orders paid before it keep their rate.' })}
<button type="submit">Set</button>
</form>`
    : html`${formMessage(state)}<fieldset disabled><div class="field"><label for="${id}-rate">Rate (%)</label><input id="${id}-rate" inputmode="decimal"${locked}></div><button type="button"${locked}>Set</button></fieldset><p class="muted">Read-only: the operator’s category table sets every rate.</p>`
}
</section>`;
  const enroll = forms.enroll ?? blank;
  return sendHtml(
    reply,
    sellerPage(
      request,
      seller,
      { title: product.title, active: 'products', notice: noticeFor(request.query, NOTICES) },
      html`<p><a href="/seller/products">← Products</a></p>
<h1>${product.title}</h1>
<p><code>${product.productId}</code> · ${formatMoney(money(product.priceMinor, product.currency))} · store <code>${product.storeId}</code></p>
${modeNote(rules, formatBasisPoints)}
<p>${standing?.enrolled ? html`<span class="status ok">enrolled</span>` : html`<span class="status bad">not enrolled</span>`} Rate now <strong>${standing ? formatBasisPoints(standing.rateBp) : '—'}</strong>${standing?.hotBp ? html` · hot rate <strong>${formatBasisPoints(standing.hotBp)}</strong>` : ''}. <span class="muted">${standing?.explanation ?? ''}</span></p>
${table}
<h2>Scheduled changes</h2>
${
  standing && standing.scheduled.length > 0
    ? html`<ul>${standing.scheduled.map((c) => html`<li>${c.rateBp === null ? c.what : `${c.what} ${formatBasisPoints(c.rateBp)}`} from ${when(c.effectiveFrom)}</li>`)}</ul>`
    : html`<p class="muted">None.</p>`
}
<div class="grid2">
${rateFormHtml('h-rate', 'Product rate', `${action}/rate`, forms.rate ?? blank, ['rate', 'effectiveFrom'], `Between ${formatBasisPoints(rules.minBp)} and ${formatBasisPoints(rules.maxBp)}.`)}
${rateFormHtml('h-hot', 'Hot product rate', `${action}/hot-rate`, forms.hot ?? blank, ['hotRate', 'hotFrom'], 'Paid for clicks through hot links; it must beat the product’s rate.')}
<section class="panel" aria-labelledby="h-enroll">
<h2 id="h-enroll">Enroll or withdraw</h2>
<form method="post" action="${action}/enrollment#h-enroll" novalidate>
${csrfField(request.webCsrf)}
${formMessage(enroll)}
${field('enrollFrom', 'From (UTC day)', enroll, { type: 'date', hint: 'Empty: now.' })}
<p class="row"><button type="submit" name="enrolled" value="yes">Enroll</button> <button type="submit" name="enrolled" value="no" class="secondary">Withdraw</button></p>
</form>
</section>
</div>`,
    ),
    forms.status ?? 200,
  );
}

/** GET /seller/products/:productId and its rate, hot-rate and enrollment forms. */
export function productPages(web: FastifyInstance, ctx: Ctx): void {
  // GET /seller/products/:productId — one product: rates, scheduled changes, forms
  web.get<Product>('/seller/products/:productId', async (request, reply) => {
    const seller = sellerOf(request, reply);
    if (!seller) return reply;
    return showProduct(ctx, request, reply, seller, request.params.productId);
  });

  /** A rate form's post: the product rate or the hot rate. */
  const ratePost = (
    path: string,
    scope: 'product' | 'hot_product',
    key: 'rate' | 'hot',
    names: [string, string],
  ) =>
    web.post<Product>(path, async (request, reply) => {
      const seller = sellerOf(request, reply);
      if (!seller) return reply;
      const { productId } = request.params;
      await sellerProduct(
        ctx.db,
        seller.sellerId,
        pathId(productId, 'product_not_found', 'product'),
      );
      const schema = scope === 'product' ? rateForm(ctx.clock.now()) : hotForm(ctx.clock.now());
      const form = parseForm(schema, request.body);
      if (!form.ok)
        return showProduct(ctx, request, reply, seller, productId, {
          [key]: form.state,
          status: 422,
        });
      const data = form.data as Record<string, unknown>;
      const from = data[names[1]] as Date | undefined;
      try {
        await setSellerRate(ctx, seller.sellerId, {
          scope,
          targetId: productId,
          rateBp: data[names[0]] as number,
          ...(from ? { effectiveFrom: from } : {}),
        });
      } catch (error) {
        const { state, status } = refusal(error, form.values, rateField(names[0], names[1]));
        return showProduct(ctx, request, reply, seller, productId, { [key]: state, status });
      }
      return seeOther(reply, `/seller/products/${encodeURIComponent(productId)}?done=${key}`);
    });

  // POST /seller/products/:productId/rate — the product's rate, now or from a day
  ratePost('/seller/products/:productId/rate', 'product', 'rate', ['rate', 'effectiveFrom']);
  // POST /seller/products/:productId/hot-rate — the product's hot rate, now or from a day
  ratePost('/seller/products/:productId/hot-rate', 'hot_product', 'hot', ['hotRate', 'hotFrom']);

  // POST /seller/products/:productId/enrollment — the product in or out, now or from a day
  web.post<Product>('/seller/products/:productId/enrollment', async (request, reply) => {
    const seller = sellerOf(request, reply);
    if (!seller) return reply;
    const { productId } = request.params;
    const product = await sellerProduct(
      ctx.db,
      seller.sellerId,
      pathId(productId, 'product_not_found', 'product'),
    );
    const form = parseForm(enrollForm(ctx.clock.now()), request.body);
    if (!form.ok)
      return showProduct(ctx, request, reply, seller, productId, {
        enroll: form.state,
        status: 422,
      });
    const { enrolled, enrollFrom } = form.data;
    try {
      await setSellerEnrollment(ctx, seller.sellerId, {
        storeId: product.storeId,
        scope: 'product',
        targetId: productId,
        enrolled: enrolled === 'yes',
        ...(enrollFrom ? { effectiveFrom: enrollFrom } : {}),
      });
    } catch (error) {
      const { state, status } = refusal(error, form.values, (code) =>
        code === 'effective_date_in_past' ? 'enrollFrom' : undefined,
      );
      return showProduct(ctx, request, reply, seller, productId, { enroll: state, status });
    }
    return seeOther(reply, `/seller/products/${encodeURIComponent(productId)}?done=enrolled`);
  });
}
