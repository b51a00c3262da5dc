import { type Html, html } from '../web/html.js';
import type { Storefront } from './schema.js';
import type { StoreCategoryTree } from './store-categories.js';
import type { StoreUrls } from './store-urls.js';

/** The menu holds at most this many categories; the home page lists them all. */
const MAX_MENU = 12;
/** Search engines show about this much of a title and of a description. */
export const MAX_TITLE = 70;
export const MAX_DESCRIPTION = 160;

/** What every page of a store is rendered with, hosted or static. */
export type StoreView = {
  store: Storefront;
  /** Addresses of the store's pages as the page links them (relative in a static copy). */
  urls: StoreUrls;
  /** Absolute addresses for canonical links; none in a static copy without a site URL. */
  canonical: StoreUrls | undefined;
  tree: StoreCategoryTree;
  /** Tracked links by product id (`<base>/c/<code>`). */
  links: ReadonlyMap<string, string>;
  /** Scripts of the page (the static copy's search); hosted pages have none. */
  scripts?: readonly string[];
};

export type PageHead = {
  title: string;
  description: string;
  canonical: string | undefined;
  /** Search results: not for search engines' indexes. */
  noindex?: boolean;
  /** The current search text, kept in the search box. */
  query?: string;
  /** The categories from the store's top down to this page, marked in the menu. */
  path?: readonly string[];
  /** The category this page is of. */
  category?: string;
  /** This is the list of all products. */
  all?: boolean;
};

/** Cuts text to `max` characters on a word, with an ellipsis. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/, '')}…`;
}

/** The store's own description, or one made from its name. */
export function storeDescription(store: Storefront): string {
  return (
    store.seoDescription ||
    clip(
      `${store.name}: hand-picked products with their prices, each a click from the shop.`,
      MAX_DESCRIPTION,
    )
  );
}

/** The whole document of a store page: head for search engines, header, menu, content, footer. */
export function storeDocument(view: StoreView, head: PageHead, content: Html): Html {
  const { store, urls, tree } = view;
  const only = tree.roots.length === 1 ? tree.roots[0] : undefined;
  const menu = (only && tree.childrenOf(only.id).length > 0 ? tree.childrenOf(only.id) : tree.roots)
    .slice()
    .sort((a, b) => b.count - a.count)
    .slice(0, MAX_MENU)
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${clip(head.title, MAX_TITLE)}</title>
<meta name="description" content="${clip(head.description, MAX_DESCRIPTION)}">
${head.canonical ? html`<link rel="canonical" href="${head.canonical}">` : ''}
${head.noindex ? html`<meta name="robots" content="noindex, follow">` : ''}
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${urls.asset('store.css')}">
<link rel="stylesheet" href="${urls.asset(`store-${store.theme}.css`)}">
${(view.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
</head>
<body>
<a class="skip" href="#main">Skip to the products</a>
<header class="store-top">
<a class="store-name" href="${urls.home}">${store.name}</a>
<form class="store-search" role="search" method="get" action="${urls.searchAction}">
<label class="visually-hidden" for="store-q">Search ${store.name}</label>
<input id="store-q" name="q" type="search" value="${head.query ?? ''}" placeholder="Search products" maxlength="100">
<button type="submit">Search</button>
</form>
</header>
<nav class="store-menu" aria-label="Categories">
<ul>
${menu.map(
  (c) =>
    html`<li><a href="${urls.category(c.id)}"${c.id === head.category ? html` aria-current="page"` : head.path?.includes(c.id) ? html` aria-current="true"` : ''}>${c.name}</a></li>`,
)}
<li><a href="${urls.search('')}"${head.all ? html` aria-current="page"` : ''}>All products</a></li>
</ul>
</nav>
<main id="main">
${content}
</main>
<footer class="store-foot">
<p>${store.name} links to products in the marketplace: prices, stock and delivery are the shop's. Links on this site are affiliate links: the site may earn a commission on what you buy through them, at no cost to you.</p>
</footer>
</body>
</html>
`;
}

/** Pages of a list: previous, "page n of m", next. */
export function pager(page: number, pages: number, at: (n: number) => string): Html {
  if (pages <= 1) return html``;
  return html`<nav class="pager" aria-label="Pages">
${page > 1 ? html`<a href="${at(page - 1)}" rel="prev">Previous</a>` : ''}
<span>Page ${page} of ${pages}</span>
${page < pages ? html`<a href="${at(page + 1)}" rel="next">Next</a>` : ''}
</nav>`;
}
