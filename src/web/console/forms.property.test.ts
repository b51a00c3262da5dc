import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { type App, buildApp, routeTable } from '../../server.js';
import { operatorAgent } from '../../test/console.js';
import { describeEachDatabase } from '../../test/context.js';
import { seedAffiliate } from '../../test/factories.js';
import { formText, postGeneratedForms } from '../../test/form-fuzz.js';
import { seedLink } from '../../test/tracking.js';
import type { WebAgent } from '../../test/web-agent.js';
import { SETTING_FIELDS } from './program-fields.js';

// Every field name a console form has, so that generated bodies reach the real checks.
const FIELDS = [
  ...SETTING_FIELDS.map((f) => f.key),
  'protectionDays_express',
  'protectionDays_post',
  'protectionDays_seller',
  'effectiveFrom',
  'currency',
  'rate',
  'effectiveAt',
  'status',
  'reason',
  'scope',
  'targetId',
  'enrollScope',
  'enrollTarget',
  'enrolled',
  'enrollFrom',
  'period',
  'format',
  'decision',
  'note',
];
const WORDS = [
  '2026-02-30',
  '9999-12-31',
  '0000-01-01',
  '2026-13',
  'store',
  'product',
  'hot_product',
  'approved',
  'banned',
  'sepa',
  'yes',
  'XXX',
  'release',
  'invalidate',
];

const text = formText(WORDS);

describeEachDatabase('console forms under generated input', (t) => {
  let app: App;
  let ops: WebAgent;
  let posts: string[];
  let gets: string[];

  beforeAll(async () => {
    const ctx = t();
    app = await buildApp(ctx);
    const seeded = await seedLink(ctx);
    const pending = await seedAffiliate(ctx);
    ops = await operatorAgent(app, ctx);
    await ops.get('/console');
    const routes = routeTable(app).filter((r) => r.url.startsWith('/console'));
    const fill = (url: string) =>
      url.replace(':storeId', seeded.storeId).replace(':id', pending.id);
    posts = routes.filter((r) => r.method === 'POST').map((r) => fill(r.url));
    gets = routes.filter((r) => r.method === 'GET').map((r) => r.url);
    expect(posts.length).toBeGreaterThan(8);
  });

  it('answers every form with a page or a redirect, never a 5xx', async () => {
    const statuses = await postGeneratedForms(ops, posts, FIELDS, WORDS);
    expect(statuses.has(422)).toBe(true);
  });

  it('answers every page with odd paths and queries without a 5xx', async () => {
    const part = fc.oneof(
      text.filter((s) => s.length < 300),
      fc.constantFrom('%00', '%E0%A4%A'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...gets),
        part,
        fc.dictionary(
          fc.constantFrom('status', 'q', 'after', 'before_at', 'before_id', 'period', 'done'),
          part,
          {
            maxKeys: 3,
          },
        ),
        async (url, id, query) => {
          const path = url.replace(/:\w+/g, encodeURIComponent(id) || 'x');
          const res = await ops.get(`${path}?${new URLSearchParams(query)}`);
          expect({ path, query, status: res.status < 500 }).toEqual({ path, query, status: true });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses any uploaded file that is not a results file, never with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 500 }),
          fc
            .array(fc.array(text, { maxLength: 6 }), { maxLength: 5 })
            .map((rows) =>
              [
                'end_to_end_id,status,reason_code,reason_text,date',
                ...rows.map((r) => r.join(',')),
              ].join('\n'),
            ),
        ),
        async (content) => {
          await ops.get('/console/payouts');
          const res = await ops.postFile(
            '/console/payouts/results',
            {},
            {
              field: 'results',
              filename: 'results.csv',
              content,
            },
          );
          expect({ content, status: res.status < 500 }).toEqual({ content, status: true });
        },
      ),
      { numRuns: 100 },
    );
  });
});
