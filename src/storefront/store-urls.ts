/**
 * Where a store's pages are: the same views render the hosted store (/s/<slug>/…) and its
 * static copy (index.html, category/<id>.html, …), each handed the addresses of its kind.
 */
export type StoreUrls = {
  home: string;
  category(id: string, page?: number): string;
  product(id: string): string;
  /** A search; the empty text lists every product of the store. */
  search(query: string, page?: number): string;
  /** The search form's action; its one field is `q`. */
  searchAction: string;
  asset(name: string): string;
};

/** The hosted store's addresses: root-relative with prefix '', absolute with the base URL. */
export function hostedUrls(prefix: string, slug: string): StoreUrls {
  const base = `${prefix}/s/${slug}`;
  const paged = (page: number | undefined) => (page && page > 1 ? `page=${page}` : '');
  return {
    home: base,
    category(id, page) {
      const query = paged(page);
      return `${base}/category/${encodeURIComponent(id)}${query ? `?${query}` : ''}`;
    },
    product: (id) => `${base}/product/${encodeURIComponent(id)}`,
    search(text, page) {
      const query = [text ? `q=${encodeURIComponent(text)}` : '', paged(page)].filter(Boolean);
      return `${base}/search${query.length > 0 ? `?${query.join('&')}` : ''}`;
    },
    searchAction: `${base}/search`,
    asset: (name) => `${prefix}/s/assets/${name}`,
  };
}

/**
 * A static copy's addresses from a page `root` away from the top: '' for index.html, '../'
 * for category/ and product/ pages, or the site's URL with a trailing slash (absolute).
 */
export function staticUrls(root: string): StoreUrls {
  const absolute = /^https?:\/\//.test(root);
  return {
    home: absolute ? root : `${root}index.html`,
    category: (id, page) => `${root}${staticCategoryFile(id, page)}`,
    product: (id) => `${root}${staticProductFile(id)}`,
    search: (text) => `${root}search.html${text ? `?q=${encodeURIComponent(text)}` : ''}`,
    searchAction: `${root}search.html`,
    asset: (name) => `${root}assets/${name}`,
  };
}

/** A category page's file in a static copy, e.g. category/home-garden~2fkitchen~p2.html. */
export function staticCategoryFile(id: string, page = 1): string {
  return `category/${fileName(id)}${page > 1 ? `~p${page}` : ''}.html`;
}

export function staticProductFile(id: string): string {
  return `product/${fileName(id)}.html`;
}

/**
 * Catalog ids may hold `/` and `:`; in a file name they become `~2f` and `~3a` (ids have no
 * `~`, so no two ids share a name, and `~p2` cannot be an id's).
 */
function fileName(id: string): string {
  return id.replace(/[/:]/g, (c) => (c === '/' ? '~2f' : '~3a'));
}
