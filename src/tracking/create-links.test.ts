import { expect, it } from 'vitest';
import { setAffiliateStatus } from '../affiliates/set-affiliate-status.js';
import { setCommissionRate } from '../catalog/set-commission-rate.js';
import { describeEachDatabase } from '../test/context.js';
import { seedAffiliate } from '../test/factories.js';
import { BASE, seedLink, TEST_DOMAIN } from '../test/tracking.js';
import { createLinks } from './create-links.js';

describeEachDatabase('tracking links', (t) => {
  it('makes one link per affiliate, tracking id, URL and type, with a short code', async () => {
    const ctx = t();
    const { affiliate, product, link } = await seedLink(ctx);
    expect(link).toMatchObject({
      kind: 'product',
      productId: product.productId,
      type: 'normal',
      trackingId: 'default',
      created: true,
    });
    expect(link.code).toMatch(/^[0-9A-Za-z]{8}$/);
    expect(link.promotionLink).toBe(`${BASE}/c/${link.code}`);
    const again = await createLinks(ctx, { affiliateId: affiliate.id, urls: [product.url] }, BASE);
    expect(again[0]).toMatchObject({ code: link.code, created: false });
    const count = await ctx.db
      .selectFrom('links')
      .select('id')
      .where('affiliate_id', '=', affiliate.id)
      .execute();
    expect(count).toHaveLength(1);
  });

  it('classifies store and search URLs and makes up to 50 links per call', async () => {
    const ctx = t();
    const { affiliate } = await seedLink(ctx);
    const urls = [
      `https://${TEST_DOMAIN}/store/912`,
      `https://www.${TEST_DOMAIN}/w/wholesale-lamp.html?SearchText=lamp`,
    ];
    const links = await createLinks(ctx, { affiliateId: affiliate.id, urls }, BASE);
    expect(links.map((l) => l.kind)).toEqual(['store', 'search']);
    const fifty = Array.from({ length: 50 }, (_, i) => `https://${TEST_DOMAIN}/store/${i}`);
    expect(await createLinks(ctx, { affiliateId: affiliate.id, urls: fifty }, BASE)).toHaveLength(
      50,
    );
    await expect(
      createLinks(ctx, { affiliateId: affiliate.id, urls: [...fifty, 'x'] }, BASE),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('refuses foreign domains, unknown tracking ids, unapproved affiliates and false hot links, writing nothing', async () => {
    const ctx = t();
    const { affiliate, product } = await seedLink(ctx);
    const before = (await ctx.db.selectFrom('links').select('id').execute()).length;
    const good = `https://${TEST_DOMAIN}/store/1`;
    await expect(
      createLinks(ctx, { affiliateId: affiliate.id, urls: [good, 'https://evil.example/x'] }, BASE),
    ).rejects.toMatchObject({
      code: 'url_not_allowed',
      message: expect.stringMatching(/^URL 2 of 2/),
    });
    await expect(
      createLinks(ctx, { affiliateId: affiliate.id, urls: ['javascript:alert(1)'] }, BASE),
    ).rejects.toMatchObject({ code: 'url_not_allowed' });
    await expect(
      createLinks(ctx, { affiliateId: affiliate.id, urls: [good], trackingId: 'nope' }, BASE),
    ).rejects.toMatchObject({ code: 'tracking_id_not_found' });
    await expect(
      createLinks(ctx, { affiliateId: affiliate.id, urls: [product.url], type: 'hot' }, BASE),
    ).rejects.toMatchObject({ code: 'not_a_hot_product' });
    const pending = await seedAffiliate(ctx);
    await expect(
      createLinks(ctx, { affiliateId: pending.id, urls: [good] }, BASE),
    ).rejects.toMatchObject({ code: 'affiliate_not_approved' });
    await setAffiliateStatus(ctx, affiliate.id, 'suspended');
    await expect(
      createLinks(ctx, { affiliateId: affiliate.id, urls: [good] }, BASE),
    ).rejects.toMatchObject({ code: 'affiliate_not_approved' });
    await expect(
      createLinks(ctx, { affiliateId: 'aff_none', urls: [good] }, BASE),
    ).rejects.toMatchObject({ code: 'affiliate_not_found' });
    expect((await ctx.db.selectFrom('links').select('id').execute()).length).toBe(before);
  });

  it('makes a hot link for a product with a hot rate, apart from its normal link', async () => {
    const ctx = t();
    const { affiliate, product, link } = await seedLink(ctx);
    await setCommissionRate(ctx, {
      scope: 'hot_product',
      targetId: product.productId,
      rateBp: 2000,
    });
    const [hot] = await createLinks(
      ctx,
      { affiliateId: affiliate.id, urls: [product.url], type: 'hot' },
      BASE,
    );
    expect(hot).toMatchObject({ type: 'hot', created: true });
    expect(hot?.code).not.toBe(link.code);
  });
});
