import { expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { describeEachDatabase } from '../test/context.js';
import { getSettings } from './get-settings.js';
import { updateSettings } from './update-settings.js';

describeEachDatabase('program settings', (t) => {
  it('starts from the defaults of the product brief', async () => {
    const s = await getSettings(t().db, t().clock.now());
    expect(s.commissionMode).toBe('seller_rates');
    expect([s.sellerRateMinBp, s.sellerRateMaxBp]).toEqual([350, 5000]);
    expect([s.categoryRateMinBp, s.categoryRateMaxBp]).toEqual([700, 1200]);
    expect(s.attributionWindowDays).toBe(30);
    expect(s.protectionDays).toEqual({ express: 30, post: 60, seller: 45 });
    expect(s.shippingMethodClasses.DHL).toBe('express');
    expect(s.shippingMethodClasses.CHINA_POST).toBe('post');
    expect(s.invalidAfterDays).toBe(180);
    expect(s.minWithdrawalMinor).toBe(1600n);
    expect(s.withdrawalFeeMinor).toBe(1500n);
    expect(s.payoutDayOfMonth).toBe(20);
    expect(s.settlementCurrency).toBe('USD');
  });

  it('applies a change from its effective date and keeps the old value before it', async () => {
    const { db, clock } = t();
    const before = clock.now();
    const from = new Date(before.getTime() + 86_400_000);
    await updateSettings(t(), {
      values: { attributionWindowDays: 15, minWithdrawalMinor: '2000' },
      effectiveFrom: from,
    });
    expect((await getSettings(db, before)).attributionWindowDays).toBe(30);
    const after = await getSettings(db, from);
    expect(after.attributionWindowDays).toBe(15);
    expect(after.minWithdrawalMinor).toBe(2000n);
  });

  it('rejects unknown keys, bad values, crossed bounds and past dates, writing nothing', async () => {
    const { db, clock } = t();
    const count = async () =>
      (await db.selectFrom('setting_changes').select('id').execute()).length;
    const before = await count();
    const attempts = [
      { values: { noSuchKey: 1 } },
      { values: { attributionWindowDays: 0 } },
      { values: { attributionWindowDays: 'thirty' } },
      { values: { commissionMode: 'random' } },
      { values: { sellerRateMinBp: 6000 } },
      { values: { withdrawalFeeMinor: 5000 } },
      { values: { marketplaceDomains: ['not a host'] } },
      { values: {} },
      { values: { payoutDayOfMonth: 10 }, effectiveFrom: new Date(clock.now().getTime() - 1) },
    ];
    for (const attempt of attempts) {
      await expect(updateSettings(t(), attempt), JSON.stringify(attempt)).rejects.toBeInstanceOf(
        AppError,
      );
    }
    expect(await count()).toBe(before);
  });
});
