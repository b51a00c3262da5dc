import { beforeAll, expect, it } from 'vitest';
import { type App, buildApp } from '../server.js';
import { operatorAgent } from '../test/console.js';
import { describeEachDatabase } from '../test/context.js';
import { seedStorefront, seedStoreWorld } from '../test/storefronts.js';
import { WebAgent } from '../test/web-agent.js';

// Found by the fuzz (src/api/fuzz-pages.test.ts and the others) on PostgreSQL, which
// refuses a NUL in text: a store's slug or product id, a portal store id, the console's
// affiliate status form, and the products page's search answered 500 with one.
describeEachDatabase('a NUL character in a page address', (t) => {
  let app: App;
  let affiliate: WebAgent;
  let operator: WebAgent;
  let slug: string;

  beforeAll(async () => {
    const world = await seedStoreWorld(t());
    slug = (await seedStorefront(t(), world.affiliate.id, { categoryIds: [world.a.top] })).slug;
    app = await buildApp(t());
    affiliate = new WebAgent(app);
    await affiliate.get('/login');
    await affiliate.post('/login', { email: world.affiliate.email, password: 'a long password' });
    operator = await operatorAgent(app, t());
  });

  it('is a page that does not exist, in the path', async () => {
    for (const url of [`/s/a%00b`, `/s/${slug}/product/a%00b`, '/stores/a%00b', '/orders/a%00'])
      expect({ url, status: (await affiliate.get(url)).status }).toEqual({ url, status: 404 });
    await operator.get('/console/affiliates');
    const post = await operator.post('/console/affiliates/a%00b/status', { status: 'approved' });
    expect(post.status).toBe(404);
  });

  it('is dropped from the query, as if it had not been sent', async () => {
    for (const url of ['/products?q=a%00b', `/s/${slug}/search?q=%00`, '/dashboard?done=%00'])
      expect({ url, status: (await affiliate.get(url)).status }).toEqual({ url, status: 200 });
  });
});
