import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '../context.js';
import { isAppError } from '../errors.js';
import { type Html, html } from '../web/html.js';
import { pagesRefuseNul } from '../web/nul-guard.js';
import { publicFiles } from '../web/pages/assets.js';
import { SECURITY_HEADERS } from '../web/plugin.js';
import { findLiveStorefront } from './find-storefront.js';
import type { Storefront } from './schema.js';
import { robotsTxt, sitemapXml, storePageUrls } from './sitemap.js';
import { STORE_ASSETS } from './store-assets.js';
import { storeCategories } from './store-categories.js';
import { storeLinks } from './store-links.js';
import {
  renderCategory,
  renderHome,
  renderProduct,
  renderSearch,
  type StoreRender,
} from './store-pages.js';
import { MAX_STORE_PAGE, storeProductIds } from './store-products.js';
import { hostedUrls } from './store-urls.js';

const listQuery = z.object({
  q: z.string().trim().max(100).catch(''),
  page: z.coerce.number().int().min(1).max(MAX_STORE_PAGE).catch(1),
});

type Slug = { Params: { slug: string } };
type SlugId = { Params: { slug: string; id: string } };

/**
 * The affiliates' public stores under /s/<slug>, in a Fastify scope of their own: no
 * session and no cookie (a store page is the same for every visitor), the portal's security
 * headers, errors as pages. Only an approved affiliate's store answers.
 */
export async function storefrontRoutes(
  scope: FastifyInstance,
  ctx: Ctx,
  options: { baseUrl: string },
): Promise<void> {
  scope.addHook('onRequest', async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
  });
  pagesRefuseNul(scope);
  scope.setErrorHandler((error: Error, request, reply) => {
    if (isAppError(error) && error.status < 500)
      return sendPage(reply, messagePage('That did not work', error.message), error.status);
    request.log.error({ err: error }, 'unhandled error on a store page');
    return sendPage(
      reply,
      messagePage('Something went wrong', 'It has been logged. Try again in a moment.'),
      500,
    );
  });

  publicFiles(scope, '/s/assets', STORE_ASSETS);

  const open = async (slug: string): Promise<StoreRender | undefined> => {
    const store = await findLiveStorefront(ctx.db, slug);
    if (!store) return undefined;
    return renderer(ctx, store, options.baseUrl);
  };
  const notFound = (reply: FastifyReply) =>
    sendPage(reply, messagePage('Not found', 'There is no such page in this store.'), 404);

  // GET /s/:slug — the store's home: its categories and best sellers
  scope.get<Slug>('/s/:slug', async (request, reply) => {
    const r = await open(request.params.slug);
    return r ? sendPage(reply, await renderHome(r)) : notFound(reply);
  });
  // GET /s/:slug/ — the same home, at its one address
  scope.get<Slug>('/s/:slug/', async (request, reply) =>
    reply
      .code(301)
      .header('location', `/s/${encodeURIComponent(request.params.slug)}`)
      .send(),
  );

  // GET /s/:slug/category/:id — a page of one category's products
  scope.get<SlugId>('/s/:slug/category/:id', async (request, reply) => {
    const r = await open(request.params.slug);
    const { page } = listQuery.parse(request.query ?? {});
    const body = r ? await renderCategory(r, request.params.id, page) : undefined;
    return body ? sendPage(reply, body) : notFound(reply);
  });

  // GET /s/:slug/search?q= — the store's products whose title contains the text
  scope.get<Slug>('/s/:slug/search', async (request, reply) => {
    const r = await open(request.params.slug);
    const { q, page } = listQuery.parse(request.query ?? {});
    return r ? sendPage(reply, await renderSearch(r, q, page)) : notFound(reply);
  });

  // GET /s/:slug/product/:id — one product and its tracked link
  scope.get<SlugId>('/s/:slug/product/:id', async (request, reply) => {
    const r = await open(request.params.slug);
    const body = r ? await renderProduct(r, request.params.id) : undefined;
    return body ? sendPage(reply, body) : notFound(reply);
  });

  // GET /s/:slug/sitemap.xml — the store's pages for search engines
  scope.get<Slug>('/s/:slug/sitemap.xml', async (request, reply) => {
    const r = await open(request.params.slug);
    if (!r) return notFound(reply);
    const ids = await storeProductIds(ctx.db, r.store);
    const urls = storePageUrls(r.canonical ?? r.urls, r.tree, ids);
    return reply
      .type('application/xml; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(sitemapXml(urls, r.store.updatedAt));
  });

  // GET /s/:slug/robots.txt — crawl everything; where the sitemap is
  scope.get<Slug>('/s/:slug/robots.txt', async (request, reply) => {
    const r = await open(request.params.slug);
    if (!r) return notFound(reply);
    return reply
      .type('text/plain; charset=utf-8')
      .send(robotsTxt(`${options.baseUrl}/s/${r.store.slug}/sitemap.xml`));
  });
}

/** How the hosted store renders: root-relative links, canonical links on the base URL. */
export async function renderer(ctx: Ctx, store: Storefront, baseUrl: string): Promise<StoreRender> {
  return {
    db: ctx.db,
    store,
    urls: hostedUrls('', store.slug),
    canonical: hostedUrls(baseUrl, store.slug),
    tree: await storeCategories(ctx.db, store),
    links: (products) => storeLinks(ctx, store, products, baseUrl),
  };
}

function sendPage(reply: FastifyReply, body: Html, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(body.value);
}

/** A page for what is not a store page: no store's look, the classic theme. */
function messagePage(title: string, message: string): Html {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/s/assets/store.css">
<link rel="stylesheet" href="/s/assets/store-classic.css">
</head>
<body>
<main id="main" class="message">
<h1>${title}</h1>
<p>${message}</p>
</main>
</body>
</html>
`;
}
