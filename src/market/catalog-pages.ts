import type { FastifyInstance } from 'fastify';
import { categoryLineages, listCategories } from '../catalog/list-categories.js';
import { MAX_SEARCH_OFFSET, searchProducts } from '../catalog/search-products.js';
import type { Ctx } from '../context.js';
import { formValues } from '../web/forms.js';
import { html } from '../web/html.js';
import { sendHtml } from '../web/plugin.js';
import { marketPage } from './layout.js';
import { pager, productGrid, sendProblem } from './views.js';

const PAGE_SIZE = 24;
const MAX_PAGE = Math.floor(MAX_SEARCH_OFFSET / PAGE_SIZE) + 1;
const MAX_QUERY_CHARS = 200;

/** The `page` query parameter: 1 when absent, undefined when it is not a page there can be. */
function pageOf(query: unknown): number | undefined {
  const text = formValues(query).page;
  if (text === undefined || text === '') return 1;
  if (!/^\d{1,6}$/.test(text)) return undefined;
  const page = Number(text);
  return page >= 1 && page <= MAX_PAGE ? page : undefined;
}

/**
 * GET /market, /market/category/:id, /market/search — the home page (top categories and
 * best sellers), a category's products and a search, in pages of 24.
 */
export function catalogPages(market: FastifyInstance, ctx: Ctx): void {
  // GET /market — top categories and the best sellers
  market.get('/', async (_request, reply) => {
    const categories = (await listCategories(ctx.db)).filter((c) => c.parentId === null);
    const { products } = await searchProducts(ctx.db, {
      sort: 'volume_desc',
      limit: PAGE_SIZE,
      offset: 0,
    });
    return sendHtml(
      reply,
      marketPage(
        { title: 'Home' },
        html`<h1>Shop the demo catalog</h1>
${
  categories.length > 0
    ? html`<nav aria-label="Categories"><ul class="mk-chips">${categories.map(
        (c) => html`<li><a href="/market/category/${encodeURIComponent(c.id)}">${c.name}</a></li>`,
      )}</ul></nav>`
    : ''
}
<h2>Best sellers</h2>
${productGrid(products)}`,
      ),
    );
  });

  // GET /market/category/:id — the category's products (and those of the ones below it)
  market.get<{ Params: { id: string } }>('/category/:id', async (request, reply) => {
    const page = pageOf(request.query);
    if (page === undefined)
      return sendProblem(reply, 400, 'No such page', `Pages go from 1 to ${MAX_PAGE}.`);
    const id = request.params.id;
    const lineage = (await categoryLineages(ctx.db, [id])).get(id);
    if (!lineage) return sendProblem(reply, 404, 'No such category', 'This category is not here.');
    const below = (await listCategories(ctx.db)).filter((c) => c.parentId === id);
    const { total, products } = await searchProducts(ctx.db, {
      categoryIds: [id],
      sort: 'volume_desc',
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    const name = lineage.at(-1)?.name ?? id;
    const href = (p: number) => `/market/category/${encodeURIComponent(id)}?page=${p}`;
    return sendHtml(
      reply,
      marketPage(
        { title: name },
        html`<nav aria-label="Breadcrumb" class="mk-crumbs"><ol><li><a href="/market">Market</a></li>${lineage.map(
          (c, i) =>
            i === lineage.length - 1
              ? html`<li aria-current="page">${c.name}</li>`
              : html`<li><a href="/market/category/${encodeURIComponent(c.id)}">${c.name}</a></li>`,
        )}</ol></nav>
<h1>${name}</h1>
${
  below.length > 0
    ? html`<nav aria-label="Subcategories"><ul class="mk-chips">${below.map(
        (c) => html`<li><a href="/market/category/${encodeURIComponent(c.id)}">${c.name}</a></li>`,
      )}</ul></nav>`
    : ''
}
${productGrid(products)}
${pager(href, page, page < MAX_PAGE && page * PAGE_SIZE < total, `${total} products, page ${page}`)}`,
      ),
    );
  });

  // GET /market/search?q= — products whose title contains the words
  market.get('/search', async (request, reply) => {
    const q = (formValues(request.query).q ?? '').trim();
    const page = pageOf(request.query);
    if (q.length > MAX_QUERY_CHARS)
      return sendProblem(
        reply,
        400,
        'That search is too long',
        `Search with at most ${MAX_QUERY_CHARS} characters.`,
      );
    if (page === undefined)
      return sendProblem(reply, 400, 'No such page', `Pages go from 1 to ${MAX_PAGE}.`);
    const { total, products } = await searchProducts(ctx.db, {
      ...(q ? { keywords: q } : {}),
      sort: 'volume_desc',
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    const href = (p: number) => `/market/search?${new URLSearchParams({ q, page: String(p) })}`;
    return sendHtml(
      reply,
      marketPage(
        { title: q ? `Search: ${q}` : 'All products', query: q },
        html`<h1>${q ? html`Results for “${q}”` : 'All products'}</h1>
${productGrid(products)}
${pager(href, page, page < MAX_PAGE && page * PAGE_SIZE < total, `${total} products, page ${page}`)}`,
      ),
    );
  });
}
