import type { WebSession } from '../auth/sessions.js';
import { type Html, html } from './html.js';

export type PageFrame = {
  title: string;
  session?: WebSession | null | undefined;
  /** The CSRF token every form on the page carries (the log-out button too). */
  csrf: string;
  /** The nav entry to mark as current. */
  active?: string;
  /** A one-line notice shown above the content (e.g. "Link created"). */
  notice?: string | undefined;
};

const AFFILIATE_NAV = [
  ['dashboard', '/dashboard', 'Dashboard'],
  ['links', '/links', 'Links'],
  ['products', '/products', 'Products'],
  ['stores', '/stores', 'Stores'],
  ['orders', '/orders', 'Orders'],
  ['payouts', '/payouts', 'Payouts'],
  ['settings', '/settings', 'Settings'],
] as const;

const OPERATOR_NAV = [
  ['console', '/console', 'Overview'],
  ['program', '/console/program', 'Program'],
  ['affiliates', '/console/affiliates', 'Affiliates'],
  ['sellers', '/console/sellers', 'Sellers'],
  ['orders', '/console/orders', 'Orders'],
  ['flags', '/console/flags', 'Flags'],
  ['payouts', '/console/payouts', 'Payouts'],
  ['ledger', '/console/ledger', 'Ledger'],
] as const;

const SELLER_NAV = [
  ['overview', '/seller', 'Overview'],
  ['products', '/seller/products', 'Products'],
  ['rates', '/seller/rates', 'Rates & enrollment'],
  ['import', '/seller/import', 'Import'],
  ['reports', '/seller/reports', 'Reports'],
  ['statement', '/seller/statement', 'Statement'],
  ['keys', '/seller/api-keys', 'API keys'],
] as const;

/** The hidden field every form posts, checked before any handler runs. */
export function csrfField(csrf: string): Html {
  return html`<input type="hidden" name="_csrf" value="${csrf}">`;
}

/** The whole document: a skip link, the header with its navigation, the content. */
export function page(frame: PageFrame, content: Html): Html {
  const nav =
    frame.session?.role === 'operator'
      ? OPERATOR_NAV
      : frame.session?.role === 'affiliate'
        ? AFFILIATE_NAV
        : frame.session?.role === 'seller'
          ? SELLER_NAV
          : [];
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${frame.title} · affnet</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/portal.css">
<script src="/assets/portal.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/">affnet</a>
  ${
    nav.length > 0
      ? html`<nav aria-label="Main"><ul>${nav.map(
          ([key, href, label]) =>
            html`<li><a href="${href}"${frame.active === key ? html` aria-current="page"` : ''}>${label}</a></li>`,
        )}</ul></nav>`
      : ''
  }
  ${
    frame.session
      ? html`<form class="logout" method="post" action="/logout">${csrfField(frame.csrf)}<span class="who">${frame.session.email}</span> <button type="submit" class="link">Log out</button></form>`
      : html`<p class="auth-links"><a href="/login">Log in</a> <a class="button" href="/signup">Join the program</a></p>`
  }
</header>
<main id="main" tabindex="-1">
${frame.notice ? html`<p class="notice" role="status">${frame.notice}</p>` : ''}
${content}
</main>
<footer class="bottom"><p>affnet — every state and every cent explained. <a href="/docs">API</a></p></footer>
</body>
</html>`;
}
