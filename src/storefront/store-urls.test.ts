import { describe, expect, it } from 'vitest';
import { hostedUrls, staticCategoryFile, staticUrls } from './store-urls.js';

describe("a store's addresses", () => {
  it('escapes catalog ids with / and : in hosted paths', () => {
    const urls = hostedUrls('https://affnet.example', 'lamps');
    expect(urls.category('home-garden/kitchen', 2)).toBe(
      'https://affnet.example/s/lamps/category/home-garden%2Fkitchen?page=2',
    );
    expect(urls.product('a:b/c')).toBe('https://affnet.example/s/lamps/product/a%3Ab%2Fc');
    expect(urls.search('red & blue', 3)).toBe(
      'https://affnet.example/s/lamps/search?q=red%20%26%20blue&page=3',
    );
    expect(urls.search('')).toBe('https://affnet.example/s/lamps/search');
    expect(hostedUrls('', 'lamps').asset('store.css')).toBe('/s/assets/store.css');
  });

  it('gives every id its own file name in a static copy, one folder deep', () => {
    const names = ['a/b', 'a:b', 'a-b', 'a.b', 'a-2fb', 'a2fb'].map((id) => staticCategoryFile(id));
    expect(new Set(names).size).toBe(names.length);
    expect(staticCategoryFile('home-garden/kitchen', 2)).toBe(
      'category/home-garden~2fkitchen~p2.html',
    );
    const below = staticUrls('../');
    expect(below.home).toBe('../index.html');
    expect(below.product('x:1')).toBe('../product/x~3a1.html');
    expect(staticUrls('https://lamps.example/').home).toBe('https://lamps.example/');
    expect(staticUrls('').search('lamp')).toBe('search.html?q=lamp');
  });
});
