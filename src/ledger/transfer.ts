import assert from 'node:assert/strict';
import type { Selectable } from 'kysely';
import { type Ctx, inTransaction } from '../context.js';
import { toDbTime } from '../db/time.js';
import type { Db, LedgerTransfersTable } from '../db/types.js';
import { AppError } from '../errors.js';
import { newId } from '../lib/ids.js';
import { accountId, ensureAccounts } from './accounts.js';
import type { Transfer, TransferRequest } from './schema.js';

/**
 * Makes one transfer, idempotently: the same key again returns the first transfer, and a
 * different request under a used key is refused. Rows are only ever inserted; the cached
 * balances of both accounts move in the same transaction. A pending transfer is resolved
 * (posted or voided) at most once: the database's unique pending_id enforces it, so two
 * processes racing to settle the same commission cannot both succeed.
 */
export async function transfer(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  request: TransferRequest,
): Promise<Transfer> {
  return inTransaction(ctx, async (tx) => {
    const known = await findTransfer(tx.db, request.key);
    if (known) return sameOrConflict(tx.db, known, request);
    const now = ctx.clock.now();
    let row: TransferRow;
    let releasedMinor = 0n; // the pending amount a post or void takes off the pending sums
    if (!('pendingKey' in request)) {
      assert.ok(request.amountMinor > 0n, `transfer amount must be positive: ${request.key}`);
      assert.equal(request.debit.currency, request.credit.currency, 'transfer across currencies');
      const debitId = accountId(request.debit);
      const creditId = accountId(request.credit);
      assert.notEqual(debitId, creditId, 'transfer from an account to itself');
      await ensureAccounts(tx.db, [request.debit, request.credit], now);
      row = {
        ...base(request, now, ctx),
        debit_account_id: debitId,
        credit_account_id: creditId,
        amount_minor: request.amountMinor,
        currency: request.debit.currency,
        pending_id: null,
      };
    } else {
      const pending = await findTransfer(tx.db, request.pendingKey);
      if (!pending || pending.kind !== 'pending')
        throw new AppError(
          'pending_transfer_not_found',
          `no pending transfer ${request.pendingKey}`,
        );
      const resolution = await resolutionOf(tx.db, pending.id);
      if (resolution)
        throw new AppError(
          'pending_already_resolved',
          `pending transfer ${request.pendingKey} was already ${resolution.kind === 'post' ? 'posted' : 'voided'}`,
        );
      const amount =
        request.kind === 'void'
          ? pending.amount_minor
          : (request.amountMinor ?? pending.amount_minor);
      if (request.kind === 'post' && (amount <= 0n || amount > pending.amount_minor))
        throw new AppError(
          'amount_exceeds_pending',
          `a post of ${amount} must be above 0 and at most the pending ${pending.amount_minor}`,
        );
      releasedMinor = pending.amount_minor;
      row = {
        ...base(request, now, ctx),
        debit_account_id: pending.debit_account_id,
        credit_account_id: pending.credit_account_id,
        amount_minor: amount,
        currency: pending.currency,
        pending_id: pending.id,
      };
    }
    // DO NOTHING on any unique key: a concurrent twin (same key, or the same pending
    // resolved) that committed first makes this insert a no-op instead of an error.
    const inserted = await tx.db
      .insertInto('ledger_transfers')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      const twin = await findTransfer(tx.db, request.key);
      if (twin) return sameOrConflict(tx.db, twin, request);
      throw new AppError(
        'pending_already_resolved',
        `pending transfer ${row.pending_id} was resolved meanwhile`,
      );
    }
    await moveBalances(tx.db, row, releasedMinor);
    return toTransfer(row);
  });
}

type TransferRow = Selectable<LedgerTransfersTable>;

function base(request: TransferRequest, now: Date, ctx: Pick<Ctx, 'clock'>) {
  return {
    id: newId('trf', ctx.clock),
    key: request.key,
    kind: request.kind,
    code: request.code,
    ref: request.ref ?? null,
    explanation: request.explanation ?? null,
    created_at: toDbTime(now),
  };
}

async function moveBalances(db: Db, row: TransferRow, releasedMinor: bigint): Promise<void> {
  const amount = row.amount_minor;
  const delta = {
    posted: { pending: 0n, posted: amount },
    pending: { pending: amount, posted: 0n },
    post: { pending: -releasedMinor, posted: amount },
    void: { pending: -releasedMinor, posted: 0n },
  }[row.kind];
  await db
    .updateTable('ledger_balances')
    .set((eb) => ({
      debits_pending: eb('debits_pending', '+', delta.pending),
      debits_posted: eb('debits_posted', '+', delta.posted),
    }))
    .where('account_id', '=', row.debit_account_id)
    .execute();
  await db
    .updateTable('ledger_balances')
    .set((eb) => ({
      credits_pending: eb('credits_pending', '+', delta.pending),
      credits_posted: eb('credits_posted', '+', delta.posted),
    }))
    .where('account_id', '=', row.credit_account_id)
    .execute();
}

export async function findTransfer(db: Db, key: string) {
  return db.selectFrom('ledger_transfers').selectAll().where('key', '=', key).executeTakeFirst();
}

async function resolutionOf(db: Db, pendingId: string) {
  return db
    .selectFrom('ledger_transfers')
    .select(['id', 'kind'])
    .where('pending_id', '=', pendingId)
    .executeTakeFirst();
}

/** The stored transfer if `request` asks for the same thing; otherwise a 409. */
async function sameOrConflict(
  db: Db,
  known: NonNullable<Awaited<ReturnType<typeof findTransfer>>>,
  request: TransferRequest,
): Promise<Transfer> {
  let same = known.kind === request.kind && known.code === request.code;
  same &&= known.ref === (request.ref ?? null);
  if (!('pendingKey' in request)) {
    same &&=
      known.debit_account_id === accountId(request.debit) &&
      known.credit_account_id === accountId(request.credit) &&
      known.amount_minor === request.amountMinor;
  } else {
    const pending = await findTransfer(db, request.pendingKey);
    same &&= pending !== undefined && known.pending_id === pending.id;
    if (request.kind === 'post' && request.amountMinor !== undefined)
      same &&= known.amount_minor === request.amountMinor;
  }
  if (!same)
    throw new AppError(
      'idempotency_conflict',
      `transfer key ${request.key} was used before for a different transfer`,
    );
  return toTransfer(known);
}

function toTransfer(row: TransferRow): Transfer {
  return {
    id: row.id,
    key: row.key,
    kind: row.kind,
    debitAccountId: row.debit_account_id,
    creditAccountId: row.credit_account_id,
    amountMinor: row.amount_minor,
    currency: row.currency,
    pendingId: row.pending_id,
    code: row.code,
    ref: row.ref,
    explanation: row.explanation,
    createdAt: row.created_at,
  };
}
