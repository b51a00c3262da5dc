import { expect, it } from 'vitest';
import { describeEachDatabase } from '../test/context.js';
import { PROGRAM_OWNER } from './schema.js';
import { ledgerTotals } from './totals.js';
import { transfer } from './transfer.js';

describeEachDatabase('ledger totals by kind of account', (t) => {
  it('adds up the cached balances per kind and currency, pending apart', async () => {
    const ctx = t();
    expect(await ledgerTotals(ctx.db)).toEqual([]);
    const expense = {
      kind: 'commission_expense',
      ownerId: PROGRAM_OWNER,
      currency: 'USD',
    } as const;
    for (const [n, kind] of [
      [1, 'posted'],
      [2, 'posted'],
      [3, 'pending'],
    ] as const)
      await transfer(ctx, {
        kind,
        key: `totals-${n}`,
        debit: expense,
        credit: { kind: 'affiliate', ownerId: `aff_${n % 2}`, currency: 'USD' },
        amountMinor: BigInt(n * 100),
        code: 'test_total',
        ref: `totals-${n}`,
      });
    expect(await ledgerTotals(ctx.db)).toEqual([
      {
        kind: 'affiliate',
        currency: 'USD',
        accounts: 2,
        debitsPosted: 0n,
        creditsPosted: 300n,
        debitsPending: 0n,
        creditsPending: 300n,
      },
      {
        kind: 'commission_expense',
        currency: 'USD',
        accounts: 1,
        debitsPosted: 300n,
        creditsPosted: 0n,
        debitsPending: 300n,
        creditsPending: 0n,
      },
    ]);
  });
});
