import { expect, it } from 'vitest';
import { checkPassword } from '../auth/check-password.js';
import { createSeller, createStore } from '../catalog/create-store.js';
import { rateFor } from '../catalog/rate-for.js';
import { DAY_MS } from '../clock.js';
import type { Ctx } from '../context.js';
import { updateSettings } from '../settings/update-settings.js';
import { describeEachDatabase } from '../test/context.js';
import { seedCategoryBranch, seedProduct } from '../test/factories.js';
import { acceptSellerInvite, inviteSeller } from './invite-seller.js';
import { sellerOfUser } from './seller-access.js';
import { findSellerApiKey, issueSellerApiKey, revokeSellerApiKey } from './seller-api-keys.js';
import { setSellerEnrollment } from './seller-enrollment.js';
import { setSellerRate } from './seller-rates.js';

let n = 0;
/** A seller with one store and one product in it. */
async function seedSeller(ctx: Ctx) {
  n += 1;
  const seller = await createSeller(ctx, {
    name: `Center seller ${n}`,
    email: `s${n}@shop.example`,
  });
  const store = await createStore(ctx, {
    id: `center-${n}`,
    sellerId: seller.id,
    name: `Center ${n}`,
  });
  const { leaf } = await seedCategoryBranch(ctx);
  const product = await seedProduct(ctx, store.id, leaf);
  return { sellerId: seller.id, storeId: store.id, productId: product.productId, categoryId: leaf };
}

/** The error an action throws, by code; fails the test when it does not throw. */
async function codeOf(action: Promise<unknown>): Promise<string> {
  try {
    await action;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  throw new Error('expected the action to be refused');
}

const rules = (ctx: Ctx) =>
  ctx.db
    .selectFrom('commission_rules')
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
const enrollments = (ctx: Ctx) =>
  ctx.db
    .selectFrom('enrollments')
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();

describeEachDatabase('seller center: accounts, rates and enrollment', (t) => {
  it('invites a seller, who sets a password once and then logs in as that seller', async () => {
    const ctx = t();
    const a = await seedSeller(ctx);
    const invite = await inviteSeller(ctx, {
      sellerId: a.sellerId,
      baseUrl: 'https://affnet.example/',
    });
    expect(invite.url).toBe(`https://affnet.example/seller/invite/${invite.token}`);
    expect(await checkPassword(ctx, invite.email, 'a seller password')).toBeUndefined();
    const email = await ctx.db
      .selectFrom('email_outbox')
      .select(['to_address', 'body_text'])
      .where('kind', '=', 'seller_invite')
      .where('to_address', '=', invite.email)
      .executeTakeFirstOrThrow();
    expect(email.body_text).toContain(invite.url);

    const accepted = await acceptSellerInvite(ctx, invite.token, 'a seller password');
    expect(accepted.sellerId).toBe(a.sellerId);
    const user = await checkPassword(ctx, invite.email, 'a seller password');
    expect(user?.role).toBe('seller');
    expect(await sellerOfUser(ctx.db, user?.id ?? '')).toBe(a.sellerId);
    // Used once: the same link, or a made-up one, changes nothing.
    expect(await codeOf(acceptSellerInvite(ctx, invite.token, 'another password!'))).toBe(
      'invalid_invite',
    );
    expect(await codeOf(acceptSellerInvite(ctx, 'inv_nothing', 'another password!'))).toBe(
      'invalid_invite',
    );
    expect(await checkPassword(ctx, invite.email, 'another password!')).toBeUndefined();
  });

  it('ends an invitation when a new one is sent, and after its days are up', async () => {
    const ctx = t();
    const a = await seedSeller(ctx);
    const first = await inviteSeller(ctx, { sellerId: a.sellerId, baseUrl: 'http://x' });
    const second = await inviteSeller(ctx, { sellerId: a.sellerId, baseUrl: 'http://x' });
    expect(second.userId).toBe(first.userId);
    expect(await codeOf(acceptSellerInvite(ctx, first.token, 'a seller password'))).toBe(
      'invalid_invite',
    );
    ctx.clock.advance(8 * DAY_MS);
    expect(await codeOf(acceptSellerInvite(ctx, second.token, 'a seller password'))).toBe(
      'invalid_invite',
    );
    expect(await codeOf(acceptSellerInvite(ctx, second.token, 'short'))).toBe('invalid_request');
  });

  it('lets a seller set rates on its own stores and products only, within the bounds', async () => {
    const ctx = t();
    const a = await seedSeller(ctx);
    const b = await seedSeller(ctx);
    await setSellerEnrollment(ctx, a.sellerId, {
      storeId: a.storeId,
      scope: 'store',
      enrolled: true,
    });
    await setSellerRate(ctx, a.sellerId, { scope: 'store', storeId: a.storeId, rateBp: 600 });
    expect((await rateFor(ctx.db, a.productId, ctx.clock.now())).rateBp).toBe(600);

    const before = [await rules(ctx), await enrollments(ctx)];
    const refused = [
      setSellerRate(ctx, a.sellerId, { scope: 'store', storeId: b.storeId, rateBp: 600 }),
      setSellerRate(ctx, a.sellerId, { scope: 'product', targetId: b.productId, rateBp: 900 }),
      setSellerRate(ctx, a.sellerId, {
        scope: 'category',
        storeId: b.storeId,
        targetId: b.categoryId,
        rateBp: 900,
      }),
      setSellerRate(ctx, a.sellerId, { scope: 'product', targetId: a.productId, rateBp: 6000 }),
      setSellerRate(ctx, a.sellerId, { scope: 'product', targetId: a.productId, rateBp: 200 }),
      setSellerRate(ctx, a.sellerId, {
        scope: 'product',
        targetId: a.productId,
        rateBp: 900,
        effectiveFrom: new Date(ctx.clock.now().getTime() - 1000),
      }),
      setSellerEnrollment(ctx, a.sellerId, { storeId: b.storeId, scope: 'store', enrolled: false }),
      setSellerEnrollment(ctx, a.sellerId, {
        storeId: a.storeId,
        scope: 'product',
        targetId: b.productId,
        enrolled: true,
      }),
    ];
    expect(await Promise.all(refused.map(codeOf))).toEqual([
      'store_not_found',
      'product_not_found',
      'store_not_found',
      'rate_out_of_bounds',
      'rate_out_of_bounds',
      'effective_date_in_past',
      'store_not_found',
      'product_not_found',
    ]);
    expect([await rules(ctx), await enrollments(ctx)]).toEqual(before);
  });

  it('schedules a rate change: the rate before the date stays, the new one applies from it', async () => {
    const ctx = t();
    const a = await seedSeller(ctx);
    await setSellerEnrollment(ctx, a.sellerId, {
      storeId: a.storeId,
      scope: 'store',
      enrolled: true,
    });
    await setSellerRate(ctx, a.sellerId, { scope: 'product', targetId: a.productId, rateBp: 800 });
    const from = new Date(ctx.clock.now().getTime() + 3 * DAY_MS);
    await setSellerRate(ctx, a.sellerId, {
      scope: 'product',
      targetId: a.productId,
      rateBp: 1500,
      effectiveFrom: from,
    });
    expect((await rateFor(ctx.db, a.productId, new Date(from.getTime() - 1))).rateBp).toBe(800);
    expect((await rateFor(ctx.db, a.productId, from)).rateBp).toBe(1500);
  });

  it('keeps a store in for the least time in, and out for the least time out', async () => {
    const ctx = t();
    const a = await seedSeller(ctx);
    const joined = ctx.clock.now();
    await setSellerEnrollment(ctx, a.sellerId, {
      storeId: a.storeId,
      scope: 'store',
      enrolled: true,
    });
    ctx.clock.advance(14 * DAY_MS);
    const leave = { storeId: a.storeId, scope: 'store' as const, enrolled: false };
    expect(await codeOf(setSellerEnrollment(ctx, a.sellerId, leave))).toBe('too_early_to_leave');
    // Scheduling the leave for the first day allowed is accepted now.
    const allowed = new Date(joined.getTime() + 15 * DAY_MS);
    await setSellerEnrollment(ctx, a.sellerId, { ...leave, effectiveFrom: allowed });
    ctx.clock.set(new Date(allowed.getTime() + 6 * DAY_MS));
    const rejoin = { storeId: a.storeId, scope: 'store' as const, enrolled: true };
    expect(await codeOf(setSellerEnrollment(ctx, a.sellerId, rejoin))).toBe('too_early_to_rejoin');
    ctx.clock.advance(DAY_MS);
    await setSellerEnrollment(ctx, a.sellerId, rejoin);
    expect((await rateFor(ctx.db, a.productId, ctx.clock.now())).rule.kind).not.toBe(
      'not_enrolled',
    );
    // Out between the leave and the rejoin.
    expect(
      (await rateFor(ctx.db, a.productId, new Date(allowed.getTime() + DAY_MS))).rule.kind,
    ).toBe('not_enrolled');
  });

  it('refuses seller rates in fixed_category mode and issues seller-only API keys', async () => {
    const ctx = t();
    const a = await seedSeller(ctx);
    const key = await issueSellerApiKey(ctx, a.sellerId);
    expect(key.key.startsWith('slk_')).toBe(true);
    expect(await findSellerApiKey(ctx.db, key.key)).toBe(a.sellerId);
    expect(await findSellerApiKey(ctx.db, `afk_${key.key.slice(4)}`)).toBeUndefined();
    await revokeSellerApiKey(ctx, a.sellerId, key.id);
    expect(await findSellerApiKey(ctx.db, key.key)).toBeUndefined();

    await updateSettings(ctx, { values: { commissionMode: 'fixed_category' } });
    try {
      expect(
        await codeOf(
          setSellerRate(ctx, a.sellerId, { scope: 'store', storeId: a.storeId, rateBp: 600 }),
        ),
      ).toBe('rates_set_by_program');
    } finally {
      await updateSettings(ctx, { values: { commissionMode: 'seller_rates' } });
    }
  });
});
