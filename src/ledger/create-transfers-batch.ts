import assert from 'node:assert/strict';
import type { Ctx } from '../context.js';
import { MAX_BULK_ROWS } from '../db/bulk-upsert.js';
import { selectWhereIn } from '../db/select-where-in.js';
import { toDbTime } from '../db/time.js';
import { AppError } from '../errors.js';
import { newId } from '../lib/ids.js';
import { accountId, ensureAccounts } from './accounts.js';
import { addDelta, applyBalanceDeltas, type BalanceDeltas } from './balance-deltas.js';
import { insertTransfers } from './insert-transfers.js';
import type { TransferRequest } from './schema.js';

export type NewTransfer = Extract<TransferRequest, { kind: 'posted' | 'pending' }>;

/**
 * Many posted or pending transfers at once, with the rules of `transfer`: idempotent by
 * key (a replay is skipped; a different transfer under a used key is refused before
 * anything is written), positive amounts, one currency, two distinct accounts. One read of
 * the keys, one insert of the accounts, one multi-row insert, one balance update per
 * account touched.
 */
export async function createTransfersBatch(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
  requests: readonly NewTransfer[],
): Promise<void> {
  for (let start = 0; start < requests.length; start += MAX_BULK_ROWS)
    await createChunk(ctx, requests.slice(start, start + MAX_BULK_ROWS));
}

async function createChunk(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
  requests: readonly NewTransfer[],
): Promise<void> {
  if (requests.length === 0) return;
  type Stored = {
    key: string;
    kind: string;
    ref: string | null;
    debit_account_id: string;
    credit_account_id: string;
    amount_minor: bigint;
    code: string;
  };
  const known = new Map(
    (
      await selectWhereIn<Stored>(ctx, {
        from: 'ledger_transfers',
        columns: [
          'key',
          'kind',
          'ref',
          'debit_account_id',
          'credit_account_id',
          'amount_minor',
          'code',
        ],
        column: 'key',
        values: requests.map((r) => r.key),
      })
    ).map((row) => [row.key, row]),
  );
  const now = ctx.clock.now();
  const rows: unknown[][] = [];
  const fresh: NewTransfer[] = [];
  for (const r of requests) {
    assert.ok(r.amountMinor > 0n, `transfer amount must be positive: ${r.key}`);
    assert.equal(r.debit.currency, r.credit.currency, 'transfer across currencies');
    const debit = accountId(r.debit);
    const credit = accountId(r.credit);
    assert.notEqual(debit, credit, 'transfer from an account to itself');
    const stored = known.get(r.key);
    if (stored) {
      const same =
        stored.kind === r.kind &&
        stored.code === r.code &&
        stored.ref === (r.ref ?? null) &&
        stored.debit_account_id === debit &&
        stored.credit_account_id === credit &&
        stored.amount_minor === r.amountMinor;
      if (!same)
        throw new AppError(
          'idempotency_conflict',
          `transfer key ${r.key} was used before for a different transfer`,
        );
      continue;
    }
    // The same key again later in the batch is a replay of this one, or a conflict.
    known.set(r.key, {
      key: r.key,
      kind: r.kind,
      ref: r.ref ?? null,
      debit_account_id: debit,
      credit_account_id: credit,
      amount_minor: r.amountMinor,
      code: r.code,
    });
    fresh.push(r);
    rows.push([
      newId('trf', ctx.clock),
      r.key,
      r.kind,
      debit,
      credit,
      r.amountMinor,
      r.debit.currency,
      null,
      r.code,
      r.ref ?? null,
      r.explanation ?? null,
      toDbTime(now),
    ]);
  }
  if (rows.length === 0) return;
  await ensureAccounts(
    ctx.db,
    fresh.flatMap((r) => [r.debit, r.credit]),
    now,
  );
  const written = await insertTransfers(ctx, rows);
  const deltas: BalanceDeltas = new Map();
  for (const r of fresh) {
    if (!written.has(r.key)) continue; // a concurrent twin wrote it first
    const pending = r.kind === 'pending';
    addDelta(
      deltas,
      accountId(r.debit),
      pending ? { debitsPending: r.amountMinor } : { debitsPosted: r.amountMinor },
    );
    addDelta(
      deltas,
      accountId(r.credit),
      pending ? { creditsPending: r.amountMinor } : { creditsPosted: r.amountMinor },
    );
  }
  await applyBalanceDeltas(ctx, deltas);
}
