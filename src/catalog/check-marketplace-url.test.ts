import { describe, expect, it } from 'vitest';
import { checkMarketplaceUrl } from './check-marketplace-url.js';

const domains = ['market.example'];

describe('checkMarketplaceUrl', () => {
  it.each([
    'https://market.example/item/1.html',
    'http://market.example/store/9',
    'https://www.market.example/w/wholesale-phone.html?SearchText=phone',
    'https://MARKET.example/item/1.html',
  ])('accepts %s', (url) => {
    expect(() => checkMarketplaceUrl(url, domains)).not.toThrow();
  });

  it.each([
    'https://evil.example/item/1.html',
    'https://market.example.evil.example/',
    'https://evilmarket.example/',
    'javascript:alert(1)',
    'ftp://market.example/file',
    'https://user:pw@market.example/',
    '//market.example/item',
    'not a url',
    '',
  ])('rejects %s', (url) => {
    expect(() => checkMarketplaceUrl(url, domains)).toThrow(
      expect.objectContaining({ code: 'url_not_allowed' }),
    );
  });

  it('rejects everything while no domain is configured', () => {
    expect(() => checkMarketplaceUrl('https://market.example/', [])).toThrow(
      /no marketplace domains/,
    );
  });
});
