import { expect, it } from 'vitest';
import { describeEachDatabase } from '../test/context.js';
import { accountId } from './accounts.js';
import { affiliateBalance } from './affiliate-balance.js';
import { auditLedger } from './audit-ledger.js';
import { accountBalance } from './balances.js';
import { createTransfersBatch } from './create-transfers-batch.js';
import { postPendingInFull } from './post-pending-in-full.js';
import { type AccountRef, PROGRAM_OWNER } from './schema.js';
import { transfer } from './transfer.js';

const expense: AccountRef = { kind: 'commission_expense', ownerId: PROGRAM_OWNER, currency: 'USD' };
const affiliate: AccountRef = { kind: 'affiliate', ownerId: 'aff_1', currency: 'USD' };

/** A commission from the program to the affiliate, keyed and referenced by `key`. */
const commission = (kind: 'pending' | 'posted', key: string, amountMinor: bigint) =>
  ({
    kind,
    key,
    debit: expense,
    credit: affiliate,
    amountMinor,
    code: 'commission',
    ref: key,
  }) as const;

describeEachDatabase('the ledger', (t) => {
  const pending = (key: string, amountMinor: bigint) =>
    transfer(t(), commission('pending', key, amountMinor));

  it('posts part of a pending transfer and releases the rest', async () => {
    const ctx = t();
    await pending('c-1', 1000n);
    expect(await accountBalance(ctx.db, accountId(affiliate))).toEqual({
      debitsPending: 0n,
      creditsPending: 1000n,
      debitsPosted: 0n,
      creditsPosted: 0n,
    });
    const posted = await transfer(ctx, {
      kind: 'post',
      key: 'settle-c-1',
      pendingKey: 'c-1',
      amountMinor: 700n,
      code: 'settlement',
    });
    expect(posted).toMatchObject({ kind: 'post', amountMinor: 700n });
    expect(await accountBalance(ctx.db, accountId(affiliate))).toEqual({
      debitsPending: 0n,
      creditsPending: 0n,
      debitsPosted: 0n,
      creditsPosted: 700n,
    });
    expect(await auditLedger(ctx.db)).toMatchObject({ transfers: 2, violations: [] });
  });

  it('posts pending transfers in full set-based, booking only what it may', async () => {
    const ctx = t();
    const before = await accountBalance(ctx.db, accountId(affiliate));
    for (const [key, amount] of [
      ['p-1', 100n],
      ['p-2', 200n],
      ['p-3', 300n],
    ] as const)
      await pending(key, amount);
    const full = (...refs: string[]) =>
      postPendingInFull(ctx, {
        keyPrefix: 's-',
        pendingKeyPrefix: 'p-',
        code: 'settlement',
        explanation: 'in full',
        refs,
      });
    // All bookable: one pass, balances from the sums.
    expect(await full('1', '2')).toEqual(new Set(['1', '2']));
    // A replay (s-1 exists), a missing pending transfer, and one that books: only the
    // last is booked, and only it moves the balances.
    expect(await full('1', 'missing', '3')).toEqual(new Set(['3']));
    expect(await accountBalance(ctx.db, accountId(affiliate))).toEqual({
      ...before,
      creditsPosted: before.creditsPosted + 600n,
    });
    expect((await auditLedger(ctx.db)).violations).toEqual([]);
  });

  it('returns the first transfer for a replayed key and refuses a different one under it', async () => {
    const ctx = t();
    const first = await pending('c-2', 500n);
    expect(await pending('c-2', 500n)).toEqual(first);
    await expect(pending('c-2', 501n)).rejects.toMatchObject({ code: 'idempotency_conflict' });
    expect(await accountBalance(ctx.db, accountId(affiliate))).toMatchObject({
      creditsPending: 500n,
    });
  });

  it('books a key repeated in one batch once, and refuses the batch when the repeat differs', async () => {
    const ctx = t();
    const posted = (key: string, amountMinor: bigint) => commission('posted', key, amountMinor);
    const before = await accountBalance(ctx.db, accountId(affiliate));
    await createTransfersBatch(ctx, [posted('b-1', 300n), posted('b-2', 40n), posted('b-1', 300n)]);
    expect(await accountBalance(ctx.db, accountId(affiliate))).toMatchObject({
      creditsPosted: before.creditsPosted + 340n,
    });
    await expect(
      createTransfersBatch(ctx, [posted('b-3', 5n), posted('b-3', 6n)]),
    ).rejects.toMatchObject({ code: 'idempotency_conflict' });
    const keys = await ctx.db
      .selectFrom('ledger_transfers')
      .select('key')
      .where('key', 'like', 'b-%')
      .orderBy('key')
      .execute();
    expect(keys.map((k) => k.key)).toEqual(['b-1', 'b-2']);
    expect(await auditLedger(ctx.db)).toMatchObject({ violations: [] });
  });

  it('resolves a pending transfer once: a void after a post is refused', async () => {
    const ctx = t();
    await pending('c-3', 300n);
    await transfer(ctx, { kind: 'void', key: 'void-c-3', pendingKey: 'c-3', code: 'invalid' });
    await expect(
      transfer(ctx, { kind: 'post', key: 'post-c-3', pendingKey: 'c-3', code: 'settlement' }),
    ).rejects.toMatchObject({ code: 'pending_already_resolved' });
    await expect(
      transfer(ctx, { kind: 'post', key: 'post-none', pendingKey: 'nope', code: 'settlement' }),
    ).rejects.toMatchObject({ code: 'pending_transfer_not_found' });
    await pending('c-4', 300n);
    await expect(
      transfer(ctx, {
        kind: 'post',
        key: 'post-c-4',
        pendingKey: 'c-4',
        amountMinor: 301n,
        code: 'settlement',
      }),
    ).rejects.toMatchObject({ code: 'amount_exceeds_pending' });
    expect((await auditLedger(ctx.db)).violations).toEqual([]);
  });

  it('shows a clawback beyond the balance as a negative carry, not a negative available', async () => {
    const ctx = t();
    const owner: AccountRef = { kind: 'affiliate', ownerId: 'aff_carry', currency: 'USD' };
    const book = (key: string, debit: AccountRef, credit: AccountRef, amountMinor: bigint) =>
      transfer(ctx, { kind: 'posted', key, debit, credit, amountMinor, code: 'test' });
    await book('carry-earned', expense, owner, 100n);
    await book('carry-clawback', owner, expense, 150n);
    expect(await affiliateBalance(ctx.db, 'aff_carry', 'USD')).toMatchObject({
      availableMinor: 0n,
      negativeCarryMinor: 50n,
    });
    await book('carry-earned-again', expense, owner, 80n);
    expect(await affiliateBalance(ctx.db, 'aff_carry', 'USD')).toMatchObject({
      availableMinor: 30n,
      negativeCarryMinor: 0n,
    });
  });

  it('refuses to update or delete a ledger row', async () => {
    const ctx = t();
    await pending('c-5', 100n);
    await expect(
      ctx.db
        .updateTable('ledger_transfers')
        .set({ amount_minor: 1n })
        .where('key', '=', 'c-5')
        .execute(),
    ).rejects.toThrow(/append-only/);
    await expect(
      ctx.db.deleteFrom('ledger_transfers').where('key', '=', 'c-5').execute(),
    ).rejects.toThrow(/append-only/);
  });

  it('audit names a tampered cached balance, a commission booked twice and an overdrawn post', async () => {
    const ctx = t();
    await pending('c-6', 100n);
    await ctx.db
      .updateTable('ledger_balances')
      .set({ credits_pending: 99n })
      .where('account_id', '=', accountId(affiliate))
      .execute();
    const [row] = await ctx.db
      .selectFrom('ledger_transfers')
      .selectAll()
      .where('key', '=', 'c-6')
      .execute();
    if (!row) throw new Error('no transfer');
    // Rows written past the service, as a bug or a hand-edit would.
    await ctx.db
      .insertInto('ledger_transfers')
      .values([
        { ...row, id: 'trf_dup', key: 'c-6-again' },
        {
          ...row,
          id: 'trf_over',
          key: 'post-over',
          kind: 'post',
          pending_id: row.id,
          amount_minor: 150n,
          code: 'settlement',
        },
      ])
      .execute();
    const audit = await auditLedger(ctx.db);
    expect(audit.violations.join('\n')).toMatch(/account affiliate:aff_1:USD: cached balance/);
    expect(audit.violations.join('\n')).toMatch(/commission for c-6 booked 2 times/);
    expect(audit.violations.join('\n')).toMatch(/transfer post-over: posts more than was pending/);
    expect(audit.violations.length).toBeGreaterThanOrEqual(3);
    // The sums stay zero: every row, right or wrong, debits and credits the same amount.
    expect(audit.violations.join('\n')).not.toMatch(/do not sum to zero/);
  });
});
