import type { Selectable } from 'kysely';
import { type Ctx, inTransaction } from '../context.js';
import type { LedgerTransfersTable } from '../db/types.js';
import { AppError } from '../errors.js';
import { createTransfersBatch } from './create-transfers-batch.js';
import { type ResolutionOutcome, resolvePendingBatch } from './resolve-pending-batch.js';
import type { Transfer, TransferRequest } from './schema.js';

/**
 * Makes one transfer, idempotently: the same key again returns the first transfer, and a
 * different request under a used key is refused. The batch forms do the work (one set of
 * rules for one transfer or thousands); this one turns their refusals into errors and
 * returns the stored row. A pending transfer is resolved (posted or voided) at most once.
 */
export async function transfer(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
  request: TransferRequest,
): Promise<Transfer> {
  return inTransaction(ctx, async (tx) => {
    if ('pendingKey' in request) {
      const [outcome] = await resolvePendingBatch(tx, [
        {
          kind: request.kind,
          key: request.key,
          pendingKey: request.pendingKey,
          ...('amountMinor' in request && request.amountMinor !== undefined
            ? { amountMinor: request.amountMinor }
            : {}),
          code: request.code,
          ref: request.ref ?? null,
          explanation: request.explanation ?? null,
        },
      ]);
      refuse(outcome as ResolutionOutcome, request.key, request.pendingKey);
    } else {
      await createTransfersBatch(tx, [request]);
    }
    const row = await tx.db
      .selectFrom('ledger_transfers')
      .selectAll()
      .where('key', '=', request.key)
      .executeTakeFirstOrThrow();
    return toTransfer(row);
  });
}

function refuse(outcome: ResolutionOutcome, key: string, pendingKey: string): void {
  switch (outcome) {
    case 'booked':
    case 'replayed':
      return;
    case 'not_found':
      throw new AppError('pending_transfer_not_found', `no pending transfer ${pendingKey}`);
    case 'already_resolved':
      throw new AppError(
        'pending_already_resolved',
        `pending transfer ${pendingKey} was already posted or voided`,
      );
    case 'conflict':
      throw new AppError(
        'idempotency_conflict',
        `transfer key ${key} was used before for a different transfer`,
      );
    case 'amount_exceeds_pending':
      throw new AppError(
        'amount_exceeds_pending',
        `a post of pending transfer ${pendingKey} must be above 0 and at most its amount`,
      );
  }
}

function toTransfer(row: Selectable<LedgerTransfersTable>): Transfer {
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
