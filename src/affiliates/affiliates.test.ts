import { expect, it } from 'vitest';
import { verifyPassword } from '../security/passwords.js';
import { updateSettings } from '../settings/update-settings.js';
import { describeEachDatabase } from '../test/context.js';
import { seedAffiliate } from '../test/factories.js';
import { findApiCredentials, issueApiCredentials } from './api-credentials.js';
import { setBankAccount } from './bank-accounts.js';
import { getAffiliate } from './queries.js';
import { setAffiliateStatus } from './set-affiliate-status.js';
import { signUp } from './sign-up.js';
import { createTrackingId, listTrackingIds } from './tracking-ids.js';

describeEachDatabase('affiliate accounts', (t) => {
  it('signs up pending by default, with a default tracking id and an argon2id password', async () => {
    const ctx = t();
    const created = await signUp(ctx, {
      email: ' New@Example.com ',
      password: 'a long password',
      country: 'fr',
      websiteUrl: 'https://blog.example/',
    });
    expect(created).toMatchObject({
      email: 'new@example.com',
      status: 'pending',
      trackingId: 'default',
    });
    const affiliate = await getAffiliate(ctx.db, created.id);
    expect(affiliate).toMatchObject({
      country: 'FR',
      websiteUrl: 'https://blog.example/',
      status: 'pending',
    });
    const user = await ctx.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', affiliate.userId)
      .executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.password_hash as string, 'a long password')).toBe(true);
    expect((await listTrackingIds(ctx.db, created.id)).map((x) => x.name)).toEqual(['default']);
  });

  it('auto-approves when the program says so', async () => {
    const ctx = t();
    const from = new Date(ctx.clock.now().getTime() + 1);
    await updateSettings(ctx, { values: { autoApproveAffiliates: true }, effectiveFrom: from });
    ctx.clock.set(from);
    const created = await signUp(ctx, {
      email: 'auto@example.com',
      password: 'a long password',
      country: 'US',
      websiteUrl: 'https://x.example',
    });
    expect(created.status).toBe('approved');
    expect((await getAffiliate(ctx.db, created.id)).statusReason).toBe('auto-approved');
    await updateSettings(ctx, { values: { autoApproveAffiliates: false } });
  });

  it('rejects a taken email, bad input and a missing website, writing nothing', async () => {
    const ctx = t();
    const first = await seedAffiliate(ctx);
    const count = async () => (await ctx.db.selectFrom('users').select('id').execute()).length;
    const before = await count();
    const base = {
      email: 'other@example.com',
      password: 'a long password',
      country: 'DE',
      websiteUrl: 'https://x.example',
    };
    const attempts: [object, string][] = [
      [{ ...base, email: first.email.toUpperCase() }, 'email_taken'],
      [{ ...base, email: 'not-an-email' }, 'invalid_request'],
      [{ ...base, password: 'short' }, 'invalid_request'],
      [{ ...base, country: 'Germany' }, 'invalid_request'],
      [{ ...base, websiteUrl: 'javascript:alert(1)' }, 'invalid_request'],
      [{ email: base.email, password: base.password, country: 'DE' }, 'invalid_request'],
      [{ ...base, extra: 1 }, 'invalid_request'],
    ];
    for (const [input, code] of attempts) {
      await expect(signUp(ctx, input as never), JSON.stringify(input)).rejects.toMatchObject({
        code,
      });
    }
    expect(await count()).toBe(before);
  });

  it('moves through statuses the life cycle allows, and banned is final', async () => {
    const ctx = t();
    const { id } = await seedAffiliate(ctx);
    await setAffiliateStatus(ctx, id, 'approved');
    await setAffiliateStatus(ctx, id, 'suspended', 'traffic review');
    expect(await getAffiliate(ctx.db, id)).toMatchObject({
      status: 'suspended',
      statusReason: 'traffic review',
    });
    await setAffiliateStatus(ctx, id, 'approved');
    await setAffiliateStatus(ctx, id, 'banned', 'fraud');
    await expect(setAffiliateStatus(ctx, id, 'approved')).rejects.toMatchObject({
      code: 'invalid_status_transition',
    });
    await expect(setAffiliateStatus(ctx, 'aff_missing', 'approved')).rejects.toMatchObject({
      code: 'affiliate_not_found',
    });
  });

  it('adds named tracking ids up to the limit, without duplicates', async () => {
    const ctx = t();
    const { id } = await seedAffiliate(ctx);
    await createTrackingId(ctx, id, 'youtube');
    await expect(createTrackingId(ctx, id, 'youtube')).rejects.toMatchObject({
      code: 'tracking_id_exists',
    });
    await expect(createTrackingId(ctx, id, 'has space')).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await updateSettings(ctx, { values: { maxTrackingIds: 2 } });
    await createTrackingId(ctx, id, 'blog');
    await expect(createTrackingId(ctx, id, 'third')).rejects.toMatchObject({
      code: 'tracking_id_limit',
    });
    expect((await listTrackingIds(ctx.db, id)).map((x) => x.name)).toEqual([
      'default',
      'youtube',
      'blog',
    ]);
    await updateSettings(ctx, { values: { maxTrackingIds: 50 } });
  });

  it('issues API credentials whose secret is encrypted at rest and revoked on rotation', async () => {
    const ctx = t();
    const { id } = await seedAffiliate(ctx);
    const first = await issueApiCredentials(ctx, id);
    expect(first.appKey).toMatch(/^\d{8}$/);
    expect(first.appSecret).toMatch(/^[0-9a-f]{32}$/);
    const stored = await ctx.db
      .selectFrom('api_credentials')
      .selectAll()
      .where('app_key', '=', first.appKey)
      .executeTakeFirstOrThrow();
    expect(stored.app_secret_enc).not.toContain(first.appSecret);
    expect(await findApiCredentials(ctx.db, ctx.secrets, first.appKey)).toEqual({
      affiliateId: id,
      appSecret: first.appSecret,
    });
    const second = await issueApiCredentials(ctx, id);
    expect(await findApiCredentials(ctx.db, ctx.secrets, first.appKey)).toBeUndefined();
    expect((await findApiCredentials(ctx.db, ctx.secrets, second.appKey))?.appSecret).toBe(
      second.appSecret,
    );
  });

  it('accepts a valid IBAN or SWIFT account, stores it encrypted, and keeps the old one as replaced', async () => {
    const ctx = t();
    const { id } = await seedAffiliate(ctx);
    const iban = await setBankAccount(ctx, id, {
      iban: 'de89 3704 0044 0532 0130 00',
      bic: 'cobadeffxxx',
      holderName: 'Jane Doe',
      country: 'DE',
    });
    expect(iban).toMatchObject({
      kind: 'iban',
      accountMasked: 'DE89 **** 3000',
      bic: 'COBADEFFXXX',
      status: 'active',
    });
    const wire = await setBankAccount(ctx, id, {
      accountNumber: '123-456-7890',
      swift: 'CHASUS33',
      holderName: 'Jane Doe',
      country: 'US',
    });
    expect(wire).toMatchObject({ kind: 'swift', accountMasked: '1234 **** 7890' });
    const rows = await ctx.db
      .selectFrom('bank_accounts')
      .selectAll()
      .where('affiliate_id', '=', id)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.status)).toEqual(['replaced', 'active']);
    expect(rows[0]?.account_enc).not.toContain('DE89370400440532013000');
    expect(ctx.secrets.open(rows[0]?.account_enc as string)).toBe('DE89370400440532013000');
  });

  it('rejects a wrong IBAN checksum, a bad BIC and mixed input, writing nothing', async () => {
    const ctx = t();
    const { id } = await seedAffiliate(ctx);
    const attempts: [object, string][] = [
      [{ iban: 'DE89370400440532013001', holderName: 'Jane Doe', country: 'DE' }, 'invalid_iban'],
      [{ iban: 'XX00', holderName: 'Jane Doe', country: 'DE' }, 'invalid_iban'],
      [
        { iban: 'DE89370400440532013000', bic: 'NOTABIC', holderName: 'Jane Doe', country: 'DE' },
        'invalid_bic',
      ],
      [
        { accountNumber: '12345678', swift: '1234', holderName: 'Jane Doe', country: 'US' },
        'invalid_bic',
      ],
      [
        {
          iban: 'DE89370400440532013000',
          swift: 'CHASUS33',
          holderName: 'Jane Doe',
          country: 'DE',
        },
        'invalid_request',
      ],
      [{ iban: 'DE89370400440532013000', holderName: '', country: 'DE' }, 'invalid_request'],
    ];
    for (const [input, code] of attempts) {
      await expect(
        setBankAccount(ctx, id, input as never),
        JSON.stringify(input),
      ).rejects.toMatchObject({ code });
    }
    expect(
      await ctx.db
        .selectFrom('bank_accounts')
        .select('id')
        .where('affiliate_id', '=', id)
        .execute(),
    ).toHaveLength(0);
  });
});
