import { expect, it } from 'vitest';
import { describeEachDatabase } from '../test/context.js';
import { fxRatesInForce } from './list-fx-rates.js';
import { setFxRate } from './set-fx-rate.js';

describeEachDatabase('exchange rates in force', (t) => {
  it('gives the latest rate of each currency at a time, as fxRateAt would', async () => {
    const ctx = t(); // 2026-03-01T12:00Z, a dollar program
    const at = (iso: string) => new Date(iso);
    await setFxRate(ctx, {
      currency: 'EUR',
      rate: '1.05',
      effectiveAt: at('2026-01-01T00:00:00Z'),
    });
    await setFxRate(ctx, {
      currency: 'EUR',
      rate: '1.08',
      effectiveAt: at('2026-02-01T00:00:00Z'),
    });
    await setFxRate(ctx, {
      currency: 'EUR',
      rate: '1.09',
      effectiveAt: at('2026-02-01T00:00:00Z'),
    });
    await setFxRate(ctx, { currency: 'GBP', rate: '1.25' });
    await setFxRate(ctx, {
      currency: 'JPY',
      rate: '0.0067',
      effectiveAt: at('2026-05-01T00:00:00Z'),
    });
    expect(await fxRatesInForce(ctx.db, 'USD', ctx.clock.now())).toEqual([
      { currency: 'EUR', rate: '1.09', effectiveAt: '2026-02-01T00:00:00.000Z' },
      { currency: 'GBP', rate: '1.25', effectiveAt: '2026-03-01T12:00:00.000Z' },
    ]);
    expect(await fxRatesInForce(ctx.db, 'USD', at('2026-01-15T00:00:00Z'))).toEqual([
      { currency: 'EUR', rate: '1.05', effectiveAt: '2026-01-01T00:00:00.000Z' },
    ]);
    expect(await fxRatesInForce(ctx.db, 'EUR', ctx.clock.now())).toEqual([]);
  });
});
