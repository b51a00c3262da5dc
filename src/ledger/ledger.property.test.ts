import fc from 'fast-check';
import { expect, it } from 'vitest';
import { isAppError } from '../errors.js';
import { describeEachDatabase } from '../test/context.js';
import { accountId } from './accounts.js';
import { auditLedger } from './audit-ledger.js';
import { accountBalance } from './balances.js';
import { type AccountRef, PROGRAM_OWNER, type TransferRequest } from './schema.js';
import { transfer } from './transfer.js';

const expense: AccountRef = { kind: 'commission_expense', ownerId: PROGRAM_OWNER, currency: 'EUR' };
const affiliate: AccountRef = { kind: 'affiliate', ownerId: 'aff_p', currency: 'EUR' };

// Operations on a handful of keys, so that replays, double resolutions and posts of
// unknown keys all happen often.
const op = fc.oneof(
  fc.record({
    kind: fc.constant('pending' as const),
    slot: fc.nat(4),
    amount: fc.integer({ min: 1, max: 10_000 }),
  }),
  fc.record({
    kind: fc.constant('post' as const),
    slot: fc.nat(4),
    amount: fc.option(fc.integer({ min: 1, max: 12_000 }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('void' as const), slot: fc.nat(4) }),
  fc.record({
    kind: fc.constant('clawback' as const),
    slot: fc.nat(4),
    amount: fc.integer({ min: 1, max: 5_000 }),
  }),
);

type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function request(o: Op, run: number): TransferRequest {
  const pendingKey = `${run}-commission-${o.slot}`;
  switch (o.kind) {
    case 'pending':
      return {
        kind: 'pending',
        key: pendingKey,
        debit: expense,
        credit: affiliate,
        amountMinor: BigInt(o.amount),
        code: 'commission',
        ref: pendingKey,
      };
    case 'post':
      return {
        kind: 'post',
        key: `${run}-settle-${o.slot}`,
        pendingKey,
        ...(o.amount ? { amountMinor: BigInt(o.amount) } : {}),
        code: 'settlement',
      };
    case 'void':
      return { kind: 'void', key: `${run}-void-${o.slot}`, pendingKey, code: 'invalid' };
    case 'clawback':
      return {
        kind: 'posted',
        key: `${run}-clawback-${o.slot}-${o.amount}`,
        debit: affiliate,
        credit: expense,
        amountMinor: BigInt(o.amount),
        code: 'clawback',
      };
  }
}

describeEachDatabase('ledger properties', (t) => {
  it('any sequence of transfers, replays and refusals keeps the audit clean and matches a model', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        run += 1;
        const ctx = t();
        const before = await accountBalance(ctx.db, accountId(affiliate));
        const model = { pending: 0n, posted: 0n };
        const pendings = new Map<number, { amount: bigint; resolvedBy?: string }>();
        for (const o of ops) {
          const r = request(o, run);
          try {
            await transfer(ctx, r);
          } catch (error) {
            if (!isAppError(error)) throw error;
          } finally {
            applyToModel(o, r, model, pendings);
          }
        }
        const after = await accountBalance(ctx.db, accountId(affiliate));
        expect(after.creditsPending - before.creditsPending).toBe(model.pending);
        expect(
          after.creditsPosted - after.debitsPosted - (before.creditsPosted - before.debitsPosted),
        ).toBe(model.posted);
        expect((await auditLedger(ctx.db)).violations).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});

/** What the ledger should have done with `o`, applied to the model (refusals change nothing). */
function applyToModel(
  o: Op,
  r: TransferRequest,
  model: { pending: bigint; posted: bigint },
  pendings: Map<number, { amount: bigint; resolvedBy?: string }>,
): void {
  const p = pendings.get(o.slot);
  if (o.kind === 'pending') {
    if (!p) {
      pendings.set(o.slot, { amount: BigInt(o.amount) });
      model.pending += BigInt(o.amount);
    }
    return;
  }
  if (o.kind === 'clawback') {
    // Same key and amount: a replay, booked once.
    const seen = clawbacks.get(r.key);
    if (!seen) {
      clawbacks.set(r.key, true);
      model.posted -= BigInt(o.amount);
    }
    return;
  }
  if (!p || p.resolvedBy) return;
  if (o.kind === 'void') {
    p.resolvedBy = r.key;
    model.pending -= p.amount;
    return;
  }
  const amount = o.amount === undefined ? p.amount : BigInt(o.amount);
  if (amount > p.amount) return;
  p.resolvedBy = r.key;
  model.pending -= p.amount;
  model.posted += amount;
}
const clawbacks = new Map<string, boolean>();
