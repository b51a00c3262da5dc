import { describe, expect, it } from 'vitest';
import { classifyUrl } from './classify-url.js';

describe('classifyUrl', () => {
  it.each([
    ['https://m.example/item/1005.html', 'product', '1005'],
    ['http://127.0.0.1:3000/market/item/1005.html', 'product', '1005'],
    ['https://m.example/a/b/item/x-1.html?sku=2', 'product', 'x-1'],
    ['https://m.example/item/1005.htmlx', 'page', null],
    ['https://m.example/item/.html', 'page', null],
    ['https://m.example/store/12', 'store', null],
    ['https://m.example/market/store/12', 'store', null],
    ['https://m.example/store/12/products', 'store', null],
    ['https://m.example/w/wholesale-lamp.html', 'search', null],
    ['https://m.example/market/search?q=lamp', 'search', null],
    ['https://m.example/?SearchText=lamp', 'search', null],
    ['https://m.example/about', 'page', null],
    ['https://m.example/', 'page', null],
  ])('%s is a %s page', (url, kind, productId) => {
    expect(classifyUrl(new URL(url))).toEqual({ kind, productId });
  });
});
