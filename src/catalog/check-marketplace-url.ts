import { AppError } from '../errors.js';

/**
 * Accepts an http(s) URL whose host is one of the marketplace's domains or a subdomain of
 * one (`www.shop.example` for `shop.example`); returns it normalised. Anything else is
 * `url_not_allowed`: affnet never redirects off the marketplace.
 */
export function checkMarketplaceUrl(input: string, domains: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new AppError('url_not_allowed', `not a URL: ${truncate(input)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError(
      'url_not_allowed',
      `only http and https URLs are allowed, not ${url.protocol}`,
    );
  }
  if (url.username || url.password) {
    throw new AppError('url_not_allowed', 'URLs with credentials are not allowed');
  }
  if (domains.length === 0) {
    throw new AppError(
      'url_not_allowed',
      'no marketplace domains are configured (setting marketplaceDomains)',
    );
  }
  const host = url.hostname.toLowerCase();
  if (!domains.some((domain) => host === domain || host.endsWith(`.${domain}`))) {
    throw new AppError(
      'url_not_allowed',
      `${host} is not a marketplace domain (${domains.join(', ')})`,
    );
  }
  return url.toString();
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
