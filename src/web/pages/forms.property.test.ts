import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { type App, buildApp, routeTable } from '../../server.js';
import { describeEachDatabase } from '../../test/context.js';
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
];
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e309',
    'NaN',
    '99999999999999999999999',
    '<script>x</script>',
    '%00',
    '\u0000',
    'https://evil.example/',
    'DE89370400440532013000',
  ),
  fc.nat(70_000).map((n) => 'x'.repeat(n)),
);

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
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...posts),
        fc.dictionary(fc.constantFrom(...FIELDS), text, { maxKeys: 6 }),
        async (url, fields) => {
          const res = await agent.post(url, fields);
          statuses.add(res.status);
          expect({ url, status: res.status < 500 }).toEqual({ url, status: true });
        },
      ),
      { numRuns: 300 },
    );
    // The forms were reached, not stopped at the door: their checks answered.
    expect([...statuses].filter((s) => s !== 403).length).toBeGreaterThan(1);
    expect(statuses.has(422)).toBe(true);
  });
});
