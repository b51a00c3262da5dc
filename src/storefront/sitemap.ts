import { escapeHtml } from '../web/html.js';
import type { StoreCategoryTree } from './store-categories.js';
import type { StoreUrls } from './store-urls.js';

/** The sitemaps.org limit of one file. */
const MAX_SITEMAP_URLS = 50_000;

/**
 * The addresses of a store's pages for search engines: home, the list of all products,
 * every category's first page and every product's page (best sellers first).
 */
export function storePageUrls(
  urls: StoreUrls,
  tree: StoreCategoryTree,
  productIds: readonly string[],
): string[] {
  return [
    urls.home,
    urls.search(''),
    ...[...tree.byId.keys()].sort().map((id) => urls.category(id)),
    ...productIds.map((id) => urls.product(id)),
  ].slice(0, MAX_SITEMAP_URLS);
}

/** A sitemaps.org urlset; `lastmod` is the store's last change (ISO time). */
export function sitemapXml(locations: readonly string[], lastmod?: string): string {
  const day = lastmod?.slice(0, 10);
  const entries = locations.map(
    (loc) => `<url><loc>${escapeHtml(loc)}</loc>${day ? `<lastmod>${day}</lastmod>` : ''}</url>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</urlset>\n`;
}

/**
 * robots.txt: every page may be crawled (search results say noindex themselves), and where
 * the sitemap is. Crawlers read it at the root of a host: it is for a static copy at the
 * root of its site, or for the operator to serve there.
 */
export function robotsTxt(sitemapUrl: string | undefined): string {
  return `User-agent: *\nAllow: /\n${sitemapUrl ? `Sitemap: ${sitemapUrl}\n` : ''}`;
}
