import { beforeAll, expect, it } from 'vitest';
import { rateFor } from '../../catalog/rate-for.js';
import { type App, buildApp } from '../../server.js';
import { operatorAgent } from '../../test/console.js';
import { describeEachDatabase, type TestContext } from '../../test/context.js';
import { seedLink } from '../../test/tracking.js';
import type { WebAgent } from '../../test/web-agent.js';

describeEachDatabase('console: sellers and commission plans', (t) => {
  let app: App;
  let ops: WebAgent;
  let store: string;
  let product: { productId: string; categoryId: string };

  beforeAll(async () => {
    const ctx = t();
    app = await buildApp(ctx);
    ops = await operatorAgent(app, ctx);
    const seeded = await seedLink(ctx); // an enrolled store at 8 %
    store = seeded.storeId;
    product = seeded.product;
  });

  const rules = async (ctx: TestContext) =>
    (await ctx.db.selectFrom('commission_rules').select('id').execute()).length;

  it('lists stores with their plans, and finds one by name', async () => {
    const list = await ops.get('/console/sellers');
    expect(list.status).toBe(200);
    expect(list.body).toContain(`/console/sellers/${store}`);
    expect(list.body).toMatch(/enrolled<\/span> default 8.00%/);
    const found = await ops.get(`/console/sellers?q=${encodeURIComponent(store.toUpperCase())}`);
    expect(found.body).toContain(`/console/sellers/${store}`);
    expect((await ops.get('/console/sellers?q=no-such-store')).body).toContain('No stores');
    expect((await ops.get('/console/sellers/no-such-store')).status).toBe(404);
  });

  it('sets a category rate, and the product pays it', async () => {
    const ctx = t();
    await ops.get(`/console/sellers/${store}`);
    const res = await ops.post(`/console/sellers/${store}/rates`, {
      scope: 'category',
      targetId: product.categoryId,
      rate: '10.5',
    });
    expect(res.location).toBe(`/console/sellers/${store}?done=rate`);
    const page = await ops.get(res.location as string);
    expect(page.body).toContain('Rate recorded.');
    expect(page.body).toMatch(
      /<td>Category<\/td><td><code>[^<]+<\/code><\/td><td class="num">10.50%/,
    );
    expect((await rateFor(ctx.db, product.productId, ctx.clock.now())).rateBp).toBe(1050);
  });

  it('shows each refused rate next to its field, keeps what was typed, and records nothing', async () => {
    const ctx = t();
    const count = await rules(ctx);
    const cases: [Record<string, string>, string][] = [
      [{ scope: 'store', rate: '60' }, '60.00% is outside the program&#39;s bounds'],
      [{ scope: 'store', rate: 'ten' }, 'a percentage between 0 and 100'],
      [
        { scope: 'category', targetId: 'no-such-category', rate: '10' },
        'no category no-such-category',
      ],
      [{ scope: 'product', rate: '10' }, 'the product id'],
      [{ scope: 'store', targetId: 'x', rate: '10' }, 'leave empty for the whole store'],
      [
        { scope: 'hot_product', targetId: product.productId, rate: '5' },
        'does not beat the normal rate',
      ],
      [{ scope: 'store', rate: '9', effectiveFrom: '2026-01-01' }, 'today or later'],
    ];
    for (const [fields, message] of cases) {
      await ops.get(`/console/sellers/${store}`);
      const res = await ops.post(`/console/sellers/${store}/rates`, fields);
      expect({ fields, status: res.status }).toEqual({ fields, status: 422 });
      expect({ fields, shown: res.body.includes(message) }).toEqual({ fields, shown: true });
      expect(res.body).toContain(`value="${fields.rate}"`);
    }
    expect(await rules(ctx)).toBe(count);
  });

  it('removes a rule from its row, and enrolls or withdraws a product', async () => {
    const ctx = t();
    await ops.get(`/console/sellers/${store}`);
    const removed = await ops.post(`/console/sellers/${store}/rates/remove`, {
      scope: 'category',
      targetId: product.categoryId,
    });
    expect(removed.location).toBe(`/console/sellers/${store}?done=removed`);
    expect((await rateFor(ctx.db, product.productId, ctx.clock.now())).rateBp).toBe(800);

    await ops.get(`/console/sellers/${store}`);
    const unknown = await ops.post(`/console/sellers/${store}/enrollments`, {
      enrollScope: 'product',
      enrollTarget: 'no-such-product',
      enrolled: 'no',
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatch(/<label for="f-enrollTarget">[\s\S]*no product no-such-product/);
    const out = await ops.post(`/console/sellers/${store}/enrollments`, {
      enrollScope: 'product',
      enrollTarget: product.productId,
      enrolled: 'no',
    });
    expect(out.location).toBe(`/console/sellers/${store}?done=enrolled`);
    expect(await rateFor(ctx.db, product.productId, ctx.clock.now())).toMatchObject({
      rateBp: 0,
      rule: { kind: 'not_enrolled' },
    });
  });

  it("sets a row of the operator's category table within its bounds", async () => {
    await ops.get('/console/sellers');
    const high = await ops.post('/console/sellers/category-rates', {
      targetId: product.categoryId,
      rate: '20',
    });
    expect(high.status).toBe(422);
    expect(high.body).toContain('outside the program&#39;s bounds for this rule (7.00%–12.00%)');
    const ok = await ops.post('/console/sellers/category-rates', {
      targetId: product.categoryId,
      rate: '9',
    });
    expect(ok.location).toBe('/console/sellers?done=category');
    expect((await ops.get('/console/sellers')).body).toMatch(/<td class="num">9.00%<\/td>/);
  });
});
