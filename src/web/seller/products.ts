import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../context.js';
import { formatBasisPoints, formatMoney, money } from '../../money.js';
import { listSellerProducts } from '../../sellers/list-seller-products.js';
import { queryText } from '../console/inputs.js';
import { when, withQuery } from '../console/view.js';
import { sellerOf } from '../guards.js';
import { type Html, html } from '../html.js';
import { csrfField } from '../layout.js';
import { sendHtml } from '../plugin.js';
import { productStandings } from './product-rates.js';
import { modeNote, programRules, sellerPage } from './view.js';

const PAGE_SIZE = 25;

/** GET /seller/products — the seller's own products: rate now, enrolled, scheduled changes. */
export function productListPage(web: FastifyInstance, ctx: Ctx): void {
  web.get('/seller/products', async (request, reply) => {
    const seller = sellerOf(request, reply);
    if (!seller) return reply;
    const q = queryText(request.query, 'q', 100);
    const store = queryText(request.query, 'store', 64);
    const after = queryText(request.query, 'after', 64);
    const rules = await programRules(ctx);
    const stores = await ctx.db
      .selectFrom('stores')
      .select(['id', 'name'])
      .where('seller_id', '=', seller.sellerId)
      .orderBy('id')
      .limit(200)
      .execute();
    const { products, next } = await listSellerProducts(ctx.db, seller.sellerId, {
      search: q,
      storeId: store,
      after,
      limit: PAGE_SIZE,
    });
    const standings = await productStandings(ctx, products);
    const rateCell = (productId: string): Html =>
      rules.sellerRates
        ? html`<form class="row compact" method="post" action="/seller/products/${productId}/rate">${csrfField(request.webCsrf)}<label class="visually-hidden" for="r-${productId}">New rate (%)</label><input id="r-${productId}" name="rate" inputmode="decimal" size="6" placeholder="12.5" required><label class="visually-hidden" for="d-${productId}">From (UTC day)</label><input id="d-${productId}" name="effectiveFrom" type="date"><button type="submit">Set</button></form>`
        : html`<span class="muted">category table</span>`;
    const rows = products.map((p) => {
      const s = standings.get(p.productId);
      return html`<tr>
<td><a href="/seller/products/${p.productId}">${p.title}</a><br><code>${p.productId}</code><br><span class="muted">${p.storeName}</span></td>
<td>${p.categoryName}</td>
<td class="num">${formatMoney(money(p.priceMinor, p.currency))}</td>
<td>${s?.enrolled ? html`<span class="status ok">enrolled</span>` : html`<span class="status bad">not enrolled</span>`}</td>
<td class="num"><span class="rate-now">${s ? formatBasisPoints(s.rateBp) : '—'}</span>${s?.hotBp ? html`<br><span class="status wait">hot ${formatBasisPoints(s.hotBp)}</span>` : ''}</td>
<td>${s && s.scheduled.length > 0 ? s.scheduled.map((c) => html`<div>${c.rateBp === null ? c.what : `${c.what} ${formatBasisPoints(c.rateBp)}`} from ${when(c.effectiveFrom)}</div>`) : html`<span class="muted">—</span>`}</td>
<td>${rateCell(p.productId)}</td>
</tr>`;
    });
    return sendHtml(
      reply,
      sellerPage(
        request,
        seller,
        { title: 'Products', active: 'products' },
        html`<h1>Your products</h1>
${modeNote(rules, formatBasisPoints)}
<form class="panel row" method="get" action="/seller/products" role="search">
<div class="field"><label for="q">Search</label><input id="q" name="q" type="search" value="${q ?? ''}"></div>
<div class="field"><label for="store">Store</label><select id="store" name="store"><option value="">All your stores</option>${stores.map(
          (s) =>
            html`<option value="${s.id}"${s.id === store ? html` selected` : ''}>${s.name}</option>`,
        )}</select></div>
<button type="submit">Search</button>
</form>
${
  products.length === 0
    ? html`<p class="muted">No products${q || store ? ' match' : ' yet'}.</p>`
    : html`<div class="table-wrap" role="region" aria-label="Products" tabindex="0"><table><thead><tr><th>Product</th><th>Category</th><th class="num">Price</th><th>Program</th><th class="num">Rate now</th><th>Scheduled</th><th>${rules.sellerRates ? 'New rate' : 'Rate set by'}</th></tr></thead><tbody>${rows}</tbody></table></div>`
}
<nav class="row" aria-label="Pages">${after ? html`<a class="button secondary" href="${withQuery('/seller/products', { q, store })}">First page</a>` : ''}${next ? html`<a class="button secondary" href="${withQuery('/seller/products', { q, store, after: next })}">Next</a>` : ''}</nav>`,
      ),
    );
  });
}
