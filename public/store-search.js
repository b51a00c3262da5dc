// The search page of a static copy of an affnet store: lists the products of the index
// (products.js, loaded before this) whose title contains the q of the address, as the
// hosted store's search does. Built with DOM calls only: no product text becomes markup.
(() => {
  const index = globalThis.affnetStoreIndex;
  const list = document.getElementById('search-results');
  if (!index || !list) return;
  const MAX_SHOWN = 200;
  const query = (new URLSearchParams(location.search).get('q') || '').trim().slice(0, 100);
  const needle = query.toLowerCase();
  const found = index.products.filter((p) => p.title.toLowerCase().includes(needle));
  const shown = found.slice(0, MAX_SHOWN);

  const input = document.getElementById('store-q');
  if (input) input.value = query;
  if (query) {
    document.getElementById('search-heading').textContent = `Results for “${query}”`;
    document.title = `${query} · ${index.store}`;
  }
  const count = `${found.length} product${found.length === 1 ? '' : 's'}`;
  document.getElementById('search-count').textContent =
    found.length > shown.length ? `${count}, the first ${shown.length} shown` : count;

  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  };
  for (const product of shown) {
    const item = element('li', 'card');
    const link = element('a', 'card-link');
    link.href = product.page;
    if (product.image) {
      const image = element('img');
      image.src = product.image;
      image.alt = '';
      image.loading = 'lazy';
      link.append(image);
    } else {
      link.append(element('span', 'no-image'));
    }
    link.append(element('span', 'card-title', product.title));
    item.append(link, element('p', 'price', product.price));
    if (product.buy) {
      const buy = element('a', 'buy', 'Buy');
      buy.href = product.buy;
      buy.rel = 'sponsored nofollow';
      buy.append(element('span', 'visually-hidden', ` ${product.title}`));
      item.append(buy);
    }
    list.append(item);
  }
})();
