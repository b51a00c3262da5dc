import type { SearchedProduct } from '../catalog/search-products.js';
import type { Db } from '../db/types.js';
import type { Html } from '../web/html.js';
import type { Storefront } from './schema.js';
import type { StoreCategoryTree } from './store-categories.js';
import type { StoreView } from './store-layout.js';
import { storeProduct, storeProducts } from './store-products.js';
import type { StoreUrls } from './store-urls.js';
import { categoryPage, homePage, productPage, searchPage } from './store-views.js';

/** Products shown under "More like this". */
const RELATED = 8;

/** What rendering a store's pages needs; `links` gives the tracked links of a page's products. */
export type StoreRender = {
  db: Db;
  store: Storefront;
  urls: StoreUrls;
  canonical: StoreUrls | undefined;
  tree: StoreCategoryTree;
  scripts?: readonly string[];
  links(products: readonly SearchedProduct[]): Promise<ReadonlyMap<string, string>>;
};

async function viewOf(r: StoreRender, products: readonly SearchedProduct[]): Promise<StoreView> {
  return {
    store: r.store,
    urls: r.urls,
    canonical: r.canonical,
    tree: r.tree,
    links: await r.links(products),
    ...(r.scripts ? { scripts: r.scripts } : {}),
  };
}

/** The home page with the store's first page of best sellers. */
export async function renderHome(r: StoreRender): Promise<Html> {
  const featured = await storeProducts(r.db, r.store);
  return homePage(await viewOf(r, featured.products), featured);
}

/** A page of a category of the store; undefined when the store has nothing in it. */
export async function renderCategory(
  r: StoreRender,
  categoryId: string,
  page: number,
): Promise<Html | undefined> {
  const category = r.tree.byId.get(categoryId);
  if (!category) return undefined;
  const list = await storeProducts(r.db, r.store, { categoryId, page });
  if (list.products.length === 0 && page > 1) return undefined;
  return categoryPage(await viewOf(r, list.products), category, list);
}

/** Search results, or every product when the text is empty. */
export async function renderSearch(r: StoreRender, query: string, page: number): Promise<Html> {
  const list = await storeProducts(r.db, r.store, { query, page });
  return searchPage(await viewOf(r, list.products), query, list);
}

/**
 * A product of the store; undefined when the store does not show it. Without `related`,
 * the best sellers of its category are looked up.
 */
export async function renderProduct(
  r: StoreRender,
  productId: string,
  known?: { product: SearchedProduct; related: readonly SearchedProduct[] },
): Promise<Html | undefined> {
  const product = known?.product ?? (await storeProduct(r.db, r.store, productId));
  if (!product) return undefined;
  const related =
    known?.related ??
    (
      await storeProducts(r.db, r.store, {
        categoryId: product.categoryId,
        pageSize: RELATED + 1,
      })
    ).products
      .filter((p) => p.productId !== product.productId)
      .slice(0, RELATED);
  return productPage(await viewOf(r, [product, ...related]), product, related);
}
