import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listCategories } from '../../catalog/list-categories.js';
import { productRates } from '../../catalog/product-rates.js';
import { MAX_SEARCH_OFFSET, searchProducts } from '../../catalog/search-products.js';
import type { Ctx } from '../../context.js';
import { formatBasisPoints, formatMoney, money } from '../../money.js';
import { formValues } from '../forms.js';
import { affiliateOf } from '../guards.js';
import { html } from '../html.js';
import { csrfField, page } from '../layout.js';
import { sendHtml } from '../plugin.js';

const PAGE_SIZE = 24;
const query = z.object({
  q: z.string().trim().max(100).catch(''),
  category: z.string().max(64).catch(''),
  hot: z.enum(['1']).optional().catch(undefined),
  page: z.coerce
    .number()
    .int()
    .min(1)
    .max(Math.floor(MAX_SEARCH_OFFSET / PAGE_SIZE))
    .catch(1),
});

/** GET /products — search the catalog, see each product's rate, get a link in one click. */
export function productPages(web: FastifyInstance, ctx: Ctx): void {
  web.get('/products', async (request, reply) => {
    const session = affiliateOf(request, reply);
    if (!session) return reply;
    const q = query.parse(formValues(request.query));
    const now = ctx.clock.now();
    const categories = (await listCategories(ctx.db)).filter((c) => c.level <= 2);
    const { total, products } = await searchProducts(ctx.db, {
      ...(q.q ? { keywords: q.q } : {}),
      ...(q.category ? { categoryIds: [q.category] } : {}),
      ...(q.hot ? { hotAt: now } : {}),
      sort: 'volume_desc',
      limit: PAGE_SIZE,
      offset: (q.page - 1) * PAGE_SIZE,
    });
    const rates = await productRates(
      ctx,
      products.map((p) => p.productId),
      now,
    );
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const at = (n: number) =>
      `/products?${new URLSearchParams({ q: q.q, category: q.category, ...(q.hot ? { hot: '1' } : {}), page: String(n) })}`;
    return sendHtml(
      reply,
      page(
        { title: 'Products', session, csrf: request.webCsrf, active: 'products' },
        html`<h1>Products</h1>
<form class="panel row" method="get" action="/products" role="search">
<div class="field"><label for="q">Search</label><input id="q" name="q" type="search" value="${q.q}" placeholder="e.g. headphones"></div>
<div class="field"><label for="category">Category</label><select id="category" name="category"><option value="">All categories</option>${categories.map(
          (c) =>
            html`<option value="${c.id}"${c.id === q.category ? html` selected` : ''}>${c.level === 2 ? '— ' : ''}${c.name}</option>`,
        )}</select></div>
<div class="field"><label><input type="checkbox" name="hot" value="1"${q.hot ? html` checked` : ''}> Hot products only</label></div>
<button type="submit">Search</button>
</form>
<p class="muted">${total.toLocaleString('en')} product${total === 1 ? '' : 's'}</p>
<div class="products">${products.map((p) => {
          const rate = rates.get(p.productId);
          return html`<article class="product">
${p.imageUrls[0] ? html`<img src="${p.imageUrls[0]}" alt="" loading="lazy">` : ''}
<h3>${p.title}</h3>
<p class="muted">${p.storeName}</p>
<p><strong>${formatMoney(money(p.priceMinor, p.currency))}</strong> · ${p.salesVolume.toString()} sold</p>
<p>Commission <strong>${rate ? formatBasisPoints(rate.rateBp) : '—'}</strong>${rate?.hotBp ? html` · <span class="status wait">hot ${formatBasisPoints(rate.hotBp)}</span>` : ''}</p>
<form method="post" action="/links">${csrfField(request.webCsrf)}<input type="hidden" name="urls" value="${p.url}"><input type="hidden" name="type" value="${rate?.hotBp ? 'hot' : 'normal'}"><button type="submit">Get link</button></form>
</article>`;
        })}</div>
<nav class="row" aria-label="Pages">${q.page > 1 ? html`<a class="button secondary" href="${at(q.page - 1)}">Previous</a>` : ''}<span class="muted">Page ${q.page} of ${pages}</span>${q.page < pages ? html`<a class="button secondary" href="${at(q.page + 1)}">Next</a>` : ''}</nav>`,
      ),
    );
  });
}
