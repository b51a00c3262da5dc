import type { SearchedProduct } from '../catalog/search-products.js';
import { formatBasisPoints, formatMoney, money } from '../money.js';
import { type Html, html } from '../web/html.js';
import type { StoreCategory } from './store-categories.js';
import { pager, type StoreView, storeDescription, storeDocument } from './store-layout.js';
import type { StorePage } from './store-products.js';

const price = (p: SearchedProduct) => formatMoney(money(p.priceMinor, p.currency));

/** The link that buys: the tracked link, marked as paid for search engines. */
function buyLink(view: StoreView, p: SearchedProduct, label: Html): Html {
  const href = view.links.get(p.productId);
  return href
    ? html`<a class="buy" href="${href}" rel="sponsored nofollow">${label}</a>`
    : html`<p class="muted">Not available at the moment</p>`;
}

function card(view: StoreView, p: SearchedProduct): Html {
  const image = p.imageUrls[0];
  return html`<li class="card">
<a class="card-link" href="${view.urls.product(p.productId)}">${image ? html`<img src="${image}" alt="" loading="lazy" width="300" height="300">` : html`<span class="no-image"></span>`}<span class="card-title">${p.title}</span></a>
<p class="price">${price(p)}</p>
${buyLink(view, p, html`Buy<span class="visually-hidden"> ${p.title}</span>`)}
</li>`;
}

function grid(view: StoreView, products: readonly SearchedProduct[]): Html {
  return products.length === 0
    ? html`<p class="empty">No products here yet.</p>`
    : html`<ul class="cards">${products.map((p) => card(view, p))}</ul>`;
}

function categoryLinks(view: StoreView, categories: readonly StoreCategory[]): Html {
  return html`<ul class="tiles">${categories.map(
    (c) =>
      html`<li><a href="${view.urls.category(c.id)}">${c.name} <span class="count">${c.count.toLocaleString('en')}</span></a></li>`,
  )}</ul>`;
}

function breadcrumb(view: StoreView, trail: readonly { name: string; href?: string }[]): Html {
  return html`<nav class="crumbs" aria-label="Breadcrumb"><ol>
<li><a href="${view.urls.home}">${view.store.name}</a></li>
${trail.map((step) =>
  step.href
    ? html`<li><a href="${step.href}">${step.name}</a></li>`
    : html`<li aria-current="page">${step.name}</li>`,
)}
</ol></nav>`;
}

const count = (n: number) => `${n.toLocaleString('en')} product${n === 1 ? '' : 's'}`;

/** The home page: the store's words, its categories and its best sellers. */
export function homePage(view: StoreView, featured: StorePage): Html {
  const { store } = view;
  return storeDocument(
    view,
    {
      title: store.seoTitle || store.name,
      description: storeDescription(store),
      canonical: view.canonical?.home,
    },
    html`<h1>${store.name}</h1>
<p class="intro">${storeDescription(store)}</p>
${
  view.tree.roots.length > 0
    ? html`<section aria-labelledby="cats"><h2 id="cats">Categories</h2>${categoryLinks(view, view.tree.roots)}</section>`
    : ''
}
<section aria-labelledby="best"><h2 id="best">Best sellers</h2>
${grid(view, featured.products)}
${featured.total > featured.products.length ? html`<p><a class="more" href="${view.urls.search('')}">All ${count(featured.total)}</a></p>` : ''}
</section>`,
  );
}

/** A category of the store: where it sits, its subcategories, a page of its products. */
export function categoryPage(view: StoreView, category: StoreCategory, list: StorePage): Html {
  const path = view.tree.pathTo(category.id);
  const children = view.tree.childrenOf(category.id);
  const suffix = list.page > 1 ? ` (page ${list.page})` : '';
  return storeDocument(
    view,
    {
      title: `${category.name}${suffix} · ${view.store.name}`,
      description: `${category.name} at ${view.store.name}: ${count(category.count)}, best sellers first. ${storeDescription(view.store)}`,
      canonical: view.canonical?.category(category.id, list.page),
      path: path.map((c) => c.id),
      category: category.id,
    },
    html`${breadcrumb(view, [
      ...path.slice(0, -1).map((c) => ({ name: c.name, href: view.urls.category(c.id) })),
      { name: category.name },
    ])}
<h1>${category.name}</h1>
<p class="muted">${count(category.count)}${suffix}</p>
${children.length > 0 ? html`<section aria-labelledby="sub"><h2 id="sub">In ${category.name}</h2>${categoryLinks(view, children)}</section>` : ''}
<section aria-labelledby="list"><h2 id="list">Products</h2>
${grid(view, list.products)}
${pager(list.page, list.pages, (n) => view.urls.category(category.id, n))}
</section>`,
  );
}

/** Search results (the hosted store searches on the server); no text lists everything. */
export function searchPage(view: StoreView, query: string, list: StorePage): Html {
  const heading = query ? `Results for “${query}”` : 'All products';
  return storeDocument(
    view,
    {
      title: `${heading}${list.page > 1 ? ` (page ${list.page})` : ''} · ${view.store.name}`,
      description: `${heading} at ${view.store.name}. ${storeDescription(view.store)}`,
      canonical: view.canonical?.search(query, list.page),
      noindex: query !== '',
      query,
      all: query === '',
    },
    html`<h1>${heading}</h1>
<p class="muted" role="status">${count(list.total)}</p>
${grid(view, list.products)}
${pager(list.page, list.pages, (n) => view.urls.search(query, n))}`,
  );
}

/**
 * The static copy's search page: its script filters the product index (products.js) by the
 * `q` of the address; without script it offers the categories.
 */
export function staticSearchPage(view: StoreView): Html {
  return storeDocument(
    view,
    {
      title: `Search · ${view.store.name}`,
      description: `Search the products of ${view.store.name}. ${storeDescription(view.store)}`,
      canonical: view.canonical?.search(''),
      noindex: true,
    },
    html`<h1 id="search-heading">All products</h1>
<p class="muted" id="search-count" role="status"></p>
<ul class="cards" id="search-results"></ul>
<noscript><p>Searching this copy of the store needs JavaScript. Browse the categories instead:</p>${categoryLinks(view, view.tree.roots)}</noscript>`,
  );
}

/** One product: its picture, price and facts, the tracked link to buy, and others like it. */
export function productPage(
  view: StoreView,
  product: SearchedProduct,
  related: readonly SearchedProduct[],
): Html {
  const path = view.tree.pathTo(product.categoryId);
  const image = product.imageUrls[0];
  return storeDocument(
    view,
    {
      title: `${product.title} · ${view.store.name}`,
      description: `${product.title} for ${price(product)} from ${product.storeName}${product.salesVolume > 0n ? `, ${product.salesVolume.toLocaleString('en')} sold` : ''}. ${storeDescription(view.store)}`,
      canonical: view.canonical?.product(product.productId),
      path: path.map((c) => c.id),
    },
    html`${breadcrumb(view, [
      ...path.map((c) => ({ name: c.name, href: view.urls.category(c.id) })),
      { name: product.title },
    ])}
<article class="item">
${image ? html`<img class="item-image" src="${image}" alt="${product.title}" width="600" height="600">` : ''}
<div class="item-facts">
<h1>${product.title}</h1>
<p class="price big">${price(product)}</p>
<dl>
<dt>Shop</dt><dd>${product.storeName}</dd>
<dt>Sold</dt><dd>${product.salesVolume.toLocaleString('en')}</dd>
${product.positiveFeedbackBp !== null ? html`<dt>Positive feedback</dt><dd>${formatBasisPoints(product.positiveFeedbackBp)}</dd>` : ''}
${product.shipFrom ? html`<dt>Ships from</dt><dd>${product.shipFrom}</dd>` : ''}
</dl>
${buyLink(view, product, html`Buy it in the shop`)}
</div>
</article>
${related.length > 0 ? html`<section aria-labelledby="more"><h2 id="more">More like this</h2>${grid(view, related)}</section>` : ''}`,
  );
}
