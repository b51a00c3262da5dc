import { type Html, html } from '../web/html.js';

export type MarketFrame = {
  title: string;
  /** The search box's text, kept on the results page. */
  query?: string | undefined;
  /** A one-line notice above the content (e.g. "Receipt confirmed"). */
  notice?: string | undefined;
  /** A problem with what was just asked, announced to screen readers. */
  problem?: string | undefined;
};

/** The market's whole document: its own header, search box and stylesheet, labelled a demo. */
export function marketPage(frame: MarketFrame, content: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${frame.title} · Demo market</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/market.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<p class="demo-banner"><strong>Demo market</strong> — a pretend shop served by affnet to show an affiliate sale from click to commission. Nothing is charged or shipped.</p>
<header class="mk-top">
  <a class="mk-brand" href="/market">Demo market</a>
  <form class="mk-search" role="search" method="get" action="/market/search">
    <label for="mk-q" class="visually-hidden">Search products</label>
    <input id="mk-q" name="q" type="search" maxlength="200" value="${frame.query ?? ''}" placeholder="Search products">
    <button type="submit">Search</button>
  </form>
  <nav aria-label="Market"><a href="/market/orders">My orders</a></nav>
</header>
<main id="main" tabindex="-1">
${frame.notice ? html`<p class="mk-notice" role="status">${frame.notice}</p>` : ''}
${frame.problem ? html`<p class="mk-problem" role="alert">${frame.problem}</p>` : ''}
${content}
</main>
<footer class="mk-bottom"><p>Demo market, served by <a href="/">affnet</a>. Affiliates see the orders it sends in their portal.</p></footer>
</body>
</html>`;
}
