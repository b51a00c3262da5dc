export type LinkKind = 'product' | 'store' | 'search' | 'page';

/**
 * What a marketplace URL points at, by the AliExpress URL shapes the demo marketplace also
 * uses (under any path prefix: the demo market lives at /market): …/item/<id>.html is a
 * product, …/store/<id> a store, /w/… , …/search or a SearchText query a search; any other
 * page of the marketplace is a plain page.
 */
export function classifyUrl(url: URL): { kind: LinkKind; productId: string | null } {
  const item = /^(?:\/[^/]+)*\/item\/([A-Za-z0-9._:-]{1,64})\.html$/.exec(url.pathname);
  if (item) return { kind: 'product', productId: item[1] as string };
  if (/^(?:\/[^/]+)*?\/store\/[^/]+/.test(url.pathname)) return { kind: 'store', productId: null };
  if (
    /^(?:\/[^/]+)*\/(w|wholesale|search)(\/|$)/.test(url.pathname) ||
    url.searchParams.has('SearchText')
  ) {
    return { kind: 'search', productId: null };
  }
  return { kind: 'page', productId: null };
}
