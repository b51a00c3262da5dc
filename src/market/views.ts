import type { FastifyReply } from 'fastify';
import type { SearchedProduct } from '../catalog/search-products.js';
import { formatMoney, money } from '../money.js';
import { type Html, html } from '../web/html.js';
import { sendHtml } from '../web/plugin.js';
import { marketPage } from './layout.js';

/** The market's address of a product page and of its picture, whatever the product's url. */
export const itemPath = (productId: string) => `/market/item/${productId}.html`;
export const picturePath = (productId: string) => `/market/img/${productId}.svg`;

export const price = (minor: bigint, currency: string) => formatMoney(money(minor, currency));

/** "CHINA_POST" → "China Post". */
export function shippingLabel(method: string): string {
  return method
    .toLowerCase()
    .split('_')
    .map((w) => (w === 'dhl' || w === 'ems' || w === 'ups' ? w.toUpperCase() : w))
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

/** A grid of product cards, each a link to its page. */
export function productGrid(products: readonly SearchedProduct[]): Html {
  if (products.length === 0) return html`<p class="mk-empty">No products here.</p>`;
  return html`<ul class="mk-grid">${products.map(
    (p) => html`<li class="mk-card"><a href="${itemPath(p.productId)}">
<img src="${picturePath(p.productId)}" alt="" width="400" height="400" loading="lazy">
<span class="mk-card-title">${p.title}</span></a>
<span class="mk-price">${price(p.priceMinor, p.currency)}</span>
<span class="mk-store">${p.storeName}</span></li>`,
  )}</ul>`;
}

/** Previous and next links of a paged grid. */
export function pager(
  href: (page: number) => string,
  page: number,
  hasNext: boolean,
  summary: string,
): Html {
  return html`<nav class="mk-pager" aria-label="Pages"><span>${summary}</span>${
    page > 1 ? html`<a href="${href(page - 1)}" rel="prev">Previous page</a>` : ''
  }${hasNext ? html`<a href="${href(page + 1)}" rel="next">Next page</a>` : ''}</nav>`;
}

/** A page of the market saying that something is not here (404) or cannot be done (4xx). */
export function sendProblem(
  reply: FastifyReply,
  status: number,
  title: string,
  message: string,
): FastifyReply {
  return sendHtml(
    reply,
    marketPage(
      { title },
      html`<section class="mk-panel mk-narrow"><h1>${title}</h1><p>${message}</p><p><a href="/market">Back to the market</a></p></section>`,
    ),
    status,
  );
}
