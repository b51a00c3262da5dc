import { beforeAll, expect, it } from 'vitest';
import { type App, buildApp } from '../../server.js';
import { operatorAgent } from '../../test/console.js';
import { describeEachDatabase, type TestContext } from '../../test/context.js';
import { seedSellerWithStore } from '../../test/seller-stores.js';
import type { WebAgent } from '../../test/web-agent.js';

describeEachDatabase('console: inviting a seller to the seller center', (t) => {
  let app: App;
  let ops: WebAgent;
  let seller: Awaited<ReturnType<typeof seedSellerWithStore>>;

  beforeAll(async () => {
    const ctx = t();
    app = await buildApp(ctx, { publicBaseUrl: 'https://affnet.example' });
    ops = await operatorAgent(app, ctx);
    seller = await seedSellerWithStore(ctx, { products: 0 });
  });

  const invitations = async (ctx: TestContext) =>
    (await ctx.db.selectFrom('seller_invites').select('token_hash').execute()).length;

  it('shows an invitation form per seller with its email, and the link once after posting', async () => {
    const ctx = t();
    const list = await ops.get(`/console/sellers?q=${seller.storeId}`);
    expect(list.body).toContain('Invite to the seller center');
    const email = (
      await ctx.db
        .selectFrom('sellers')
        .select('email')
        .where('id', '=', seller.sellerId)
        .executeTakeFirstOrThrow()
    ).email as string;
    expect(list.body).toMatch(new RegExp(`name="email" type="email" value="${email}"`));

    const res = await ops.post('/console/sellers/invite', { sellerId: seller.sellerId, email });
    expect(res.status).toBe(200);
    const link = /value="(https:\/\/affnet\.example\/seller\/invite\/inv_[A-Za-z0-9_-]+)"/.exec(
      res.body,
    );
    expect(link).not.toBeNull();
    expect(res.body).toContain(`Invitation sent to ${email}`);
    const mail = await ctx.db
      .selectFrom('email_outbox')
      .select('body_text')
      .where('kind', '=', 'seller_invite')
      .where('to_address', '=', email)
      .executeTakeFirstOrThrow();
    expect(mail.body_text).toContain(link?.[1]);
    // Shown once: the page afterwards does not hold it.
    expect((await ops.get('/console/sellers')).body).not.toContain(link?.[1]);
  });

  it('refuses a bad email or an unknown seller next to the form, inviting no one', async () => {
    const ctx = t();
    const before = await invitations(ctx);
    const bad = await ops.post('/console/sellers/invite', {
      sellerId: seller.sellerId,
      email: 'not an email',
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatch(/<p class="error" id="f-invite-\d+-error">/);
    expect(bad.body).toContain('value="not an email"');
    const unknown = await ops.post('/console/sellers/invite', {
      sellerId: 'sel_nobody',
      email: '',
    });
    expect(unknown.status).toBe(404);
    expect(await invitations(ctx)).toBe(before);
  });
});
