import { STORE_THEMES } from './schema.js';

/** The files of public/ a store uses: the layout, one stylesheet per theme, the static search. */
export const STORE_ASSETS: Readonly<Record<string, string>> = {
  'store.css': 'text/css; charset=utf-8',
  ...Object.fromEntries(STORE_THEMES.map((t) => [`store-${t}.css`, 'text/css; charset=utf-8'])),
  'store-search.js': 'text/javascript; charset=utf-8',
};
