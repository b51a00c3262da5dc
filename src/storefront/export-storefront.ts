import fs from 'node:fs/promises';
import path from 'node:path';
import { findAffiliate } from '../affiliates/queries.js';
import type { SearchedProduct } from '../catalog/search-products.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { formatMoney, money } from '../money.js';
import { findStorefrontBySlug } from './find-storefront.js';
import { robotsTxt, sitemapXml, storePageUrls } from './sitemap.js';
import { STORE_ASSETS } from './store-assets.js';
import { type StoreCategory, storeCategories, treeOf } from './store-categories.js';
import type { StoreView } from './store-layout.js';
import { storeLinks } from './store-links.js';
import { STORE_PAGE_SIZE, storeProductIds, storeProductsByIds } from './store-products.js';
import { type StoreUrls, staticCategoryFile, staticProductFile, staticUrls } from './store-urls.js';
import { categoryPage, homePage, productPage, staticSearchPage } from './store-views.js';

const PUBLIC_DIR = new URL('../../public/', import.meta.url);
/** Written into every copy: a later export may replace a folder that has it, and no other. */
export const EXPORT_MARKER = '.affnet-store.json';
const RELATED = 8;

export type ExportOptions = {
  /** Where the tracked links point (AFFNET_PUBLIC_URL). */
  baseUrl: string;
  /** Where the copy will be served, for canonical links and the sitemap; none: relative. */
  siteUrl?: string | undefined;
};

export type ExportResult = {
  dir: string;
  files: number;
  products: number;
  categories: number;
  sitemap: 'absolute' | 'relative';
};

/**
 * Writes a static copy of the store at /s/<slug> into `outDir`: index.html, a page per
 * category (24 products a page) and per product (at most 5,000, best sellers first),
 * search.html (a script filters products.js), sitemap.xml, robots.txt and the theme's CSS.
 * Links between pages are relative, so the folder works from any host or from disk; the
 * buy links are the absolute tracked links and images stay at their URLs. Everything is
 * written into a temporary folder beside `outDir` and renamed into place at the end: a
 * failure leaves nothing half-written. An existing `outDir` is replaced only when it is an
 * earlier copy (it holds EXPORT_MARKER) or empty.
 */
export async function exportStorefront(
  ctx: Ctx,
  slug: string,
  outDir: string,
  options: ExportOptions,
): Promise<ExportResult> {
  const store = await findStorefrontBySlug(ctx.db, slug);
  if (!store) throw new AppError('storefront_not_found', `no store with the slug ${slug}`);
  const owner = await findAffiliate(ctx.db, store.affiliateId);
  if (owner?.status !== 'approved')
    throw new AppError(
      'affiliate_not_approved',
      `the store's affiliate is ${owner?.status ?? 'gone'}: only approved affiliates' stores are published`,
    );
  const siteUrl = options.siteUrl ? checkSiteUrl(options.siteUrl) : undefined;
  const target = path.resolve(outDir);
  await checkTarget(target);

  const ids = await storeProductIds(ctx.db, store);
  const products = await storeProductsByIds(ctx.db, store, ids);
  const links = await storeLinks(ctx, store, products, options.baseUrl);
  const fullTree = await storeCategories(ctx.db, store);
  // Counts of what the copy holds (all of the store unless it has more than the cap).
  const inCategory = new Map<string, SearchedProduct[]>();
  const byLeaf = new Map<string, SearchedProduct[]>();
  for (const product of products) {
    for (const node of fullTree.pathTo(product.categoryId))
      listIn(inCategory, node.id).push(product);
    listIn(byLeaf, product.categoryId).push(product);
  }
  const tree = treeOf(
    [...fullTree.byId.values()]
      .filter((c) => inCategory.has(c.id))
      .map((c): StoreCategory => ({ ...c, count: inCategory.get(c.id)?.length ?? 0 })),
  );

  const canonical = siteUrl ? staticUrls(`${siteUrl}/`) : undefined;
  const view = (urls: StoreUrls, scripts?: string[]): StoreView => ({
    store,
    urls,
    canonical,
    tree,
    links,
    ...(scripts ? { scripts } : {}),
  });
  const top = view(staticUrls(''));
  const below = view(staticUrls('../'));
  const files = new Map<string, string>();

  const paged = (list: readonly SearchedProduct[], page: number) => ({
    total: list.length,
    pages: Math.max(1, Math.ceil(list.length / STORE_PAGE_SIZE)),
    page,
    products: list.slice((page - 1) * STORE_PAGE_SIZE, page * STORE_PAGE_SIZE),
  });
  files.set('index.html', homePage(top, paged(products, 1)).value);
  files.set(
    'search.html',
    staticSearchPage(view(staticUrls(''), ['products.js', 'assets/store-search.js'])).value,
  );
  for (const category of tree.byId.values()) {
    const list = inCategory.get(category.id) ?? [];
    const { pages } = paged(list, 1);
    for (let page = 1; page <= pages; page += 1)
      files.set(
        staticCategoryFile(category.id, page),
        categoryPage(below, category, paged(list, page)).value,
      );
  }
  for (const product of products) {
    const related = (byLeaf.get(product.categoryId) ?? [])
      .filter((p) => p.productId !== product.productId)
      .slice(0, RELATED);
    files.set(staticProductFile(product.productId), productPage(below, product, related).value);
  }
  files.set('products.js', productIndex(store.name, products, links));
  const locations = storePageUrls(canonical ?? staticUrls(''), tree, ids).filter(
    (url) => !url.includes('search.html'),
  );
  files.set('sitemap.xml', sitemapXml(locations, store.updatedAt));
  files.set('robots.txt', robotsTxt(siteUrl ? `${siteUrl}/sitemap.xml` : undefined));
  files.set(
    EXPORT_MARKER,
    `${JSON.stringify({ slug: store.slug, exportedAt: ctx.clock.now().toISOString() })}\n`,
  );

  const assets = ['store.css', `store-${store.theme}.css`, 'store-search.js'];
  await writeAtomically(target, async (dir) => {
    for (const name of assets) {
      if (!(name in STORE_ASSETS)) throw new Error(`unknown asset ${name}`);
      await write(dir, `assets/${name}`, await fs.readFile(new URL(name, PUBLIC_DIR)));
    }
    for (const [file, body] of files) await write(dir, file, body);
  });
  return {
    dir: target,
    files: files.size + assets.length,
    products: products.length,
    categories: tree.byId.size,
    sitemap: siteUrl ? 'absolute' : 'relative',
  };
}

function listIn<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  return list;
}

/** The search page's index: a script setting one global, so it loads from disk too. */
function productIndex(
  storeName: string,
  products: readonly SearchedProduct[],
  links: ReadonlyMap<string, string>,
): string {
  const index = {
    store: storeName,
    products: products.map((p) => ({
      title: p.title,
      page: staticProductFile(p.productId),
      price: formatMoney(money(p.priceMinor, p.currency)),
      image: p.imageUrls[0] ?? null,
      buy: links.get(p.productId) ?? null,
    })),
  };
  return `globalThis.affnetStoreIndex = ${JSON.stringify(index)};\n`;
}

function checkSiteUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError('invalid_request', `--site-url is not a URL: ${text.slice(0, 100)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new AppError('invalid_request', '--site-url must be an http(s) URL');
  if (url.search || url.hash)
    throw new AppError('invalid_request', '--site-url must not have a query or a fragment');
  return url.toString().replace(/\/+$/, '');
}

/** The folder may be new, empty, or an earlier copy; anything else is left alone. */
async function checkTarget(target: string): Promise<void> {
  let entries: string[];
  try {
    const stat = await fs.stat(target);
    if (!stat.isDirectory())
      throw new AppError('invalid_request', `${target} exists and is not a folder`);
    entries = await fs.readdir(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw fsError(target, error);
  }
  if (entries.length > 0 && !entries.includes(EXPORT_MARKER))
    throw new AppError(
      'invalid_request',
      `${target} is not empty and is not an earlier copy of a store: choose a new folder`,
    );
}

/** Writes into a temporary folder beside the target, then swaps it in with renames. */
async function writeAtomically(target: string, fill: (dir: string) => Promise<void>) {
  const parent = path.dirname(target);
  let temp: string | undefined;
  let old: string | undefined;
  try {
    await fs.mkdir(parent, { recursive: true });
    temp = await fs.mkdtemp(path.join(parent, `.${path.basename(target)}.new-`));
    await fill(temp);
    try {
      await fs.rename(temp, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      // An earlier copy: move it aside, move the new one in, then remove the old one.
      old = `${temp}.old`;
      await fs.rename(target, old);
      try {
        await fs.rename(temp, target);
      } catch (again) {
        await fs.rename(old, target);
        old = undefined;
        throw again;
      }
    }
    temp = undefined;
    if (old) await fs.rm(old, { recursive: true, force: true });
  } catch (error) {
    if (temp) await fs.rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw fsError(target, error);
  }
}

async function write(dir: string, file: string, body: string | Buffer): Promise<void> {
  const full = path.join(dir, file);
  await fs.mkdir(path.dirname(full), { recursive: true });
  await fs.writeFile(full, body);
}

function fsError(target: string, error: unknown): Error {
  if (error instanceof AppError || !(error as NodeJS.ErrnoException).code) return error as Error;
  const { code, message } = error as NodeJS.ErrnoException;
  return new AppError(
    'invalid_request',
    `cannot write the copy to ${target}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : message}`,
  );
}
