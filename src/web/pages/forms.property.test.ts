import { beforeAll, expect, it } from 'vitest';
import { type App, buildApp, routeTable } from '../../server.js';
import { describeEachDatabase } from '../../test/context.js';
import { postGeneratedForms } from '../../test/form-fuzz.js';
import { seedClickedProduct } from '../../test/orders.js';
import { WebAgent } from '../../test/web-agent.js';

// Every field name a portal form has, so that generated bodies hit the real checks.
const FIELDS = [
  'email',
  'password',
  'country',
  'websiteUrl',
  'next',
  'urls',
  'trackingId',
  'type',
  'amount',
  'amountMinor',
  'idempotencyKey',
  'holderName',
  'iban',
  'bic',
  'name',
  'url',
  'urlTemplate',
  'events',
  'slug',
  'theme',
  'seoTitle',
  'seoDescription',
  'categoryIds',
  'keywords',
  'productIds',
];
const WORDS = ['DE89370400440532013000', 'hot', 'normal', 'order.paid'];

describeEachDatabase('portal forms under generated input', (t) => {
  let app: App;
  let agent: WebAgent;
  let posts: string[];

  beforeAll(async () => {
    const ctx = t();
    app = await buildApp(ctx);
    await seedClickedProduct(ctx);
    agent = new WebAgent(app);
    await agent.get('/signup');
    await agent.post('/signup', {
      email: 'fuzz@forms.example',
      password: 'fuzz passphrase',
      country: 'DE',
      websiteUrl: 'https://f.example',
    });
    await agent.get('/dashboard');
    posts = routeTable(app)
      .filter(
        (r) =>
          r.method === 'POST' &&
          !r.url.startsWith('/api') &&
          r.url !== '/sync' &&
          r.url !== '/logout',
      )
      .map((r) => r.url.replace(':kind', 'webhooks').replace(':id', 'whk_none'));
    expect(posts.length).toBeGreaterThan(8);
  });

  it('answers every form with a page or a redirect, never a 5xx', async () => {
    const statuses = await postGeneratedForms(agent, posts, FIELDS, WORDS);
    // The forms were reached, not stopped at the door: their checks answered.
    expect([...statuses].filter((s) => s !== 403).length).toBeGreaterThan(1);
    expect(statuses.has(422)).toBe(true);
  });
});
