import type { Ctx } from '../context.js';
import { MAX_BULK_ROWS } from '../db/bulk-upsert.js';
import { selectWhereIn } from '../db/select-where-in.js';
import { toDbTime } from '../db/time.js';
import { newId } from '../lib/ids.js';
import { addDelta, applyBalanceDeltas, type BalanceDeltas } from './balance-deltas.js';
import { insertTransfers } from './insert-transfers.js';

export type PendingResolution = {
  kind: 'post' | 'void';
  key: string;
  pendingKey: string;
  /** For a post: at most the pending amount; default all of it. */
  amountMinor?: bigint;
  code: string;
  ref: string | null;
  explanation: string | null;
};

export type ResolutionOutcome =
  | 'booked'
  | 'replayed'
  | 'already_resolved'
  | 'not_found'
  | 'conflict'
  | 'amount_exceeds_pending';

/**
 * Posts or voids many pending transfers at once — settlement's form of `transfer`, with the
 * same rules: idempotent by key, each pending transfer resolved once, a post for at most
 * its amount. One read, one multi-row insert and one balance update per account touched,
 * instead of six statements per transfer. Returns an outcome per request, in order.
 */
export async function resolvePendingBatch(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
  requests: readonly PendingResolution[],
): Promise<ResolutionOutcome[]> {
  const outcomes: ResolutionOutcome[] = [];
  for (let start = 0; start < requests.length; start += MAX_BULK_ROWS)
    outcomes.push(...(await resolveChunk(ctx, requests.slice(start, start + MAX_BULK_ROWS))));
  return outcomes;
}

async function resolveChunk(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
  requests: readonly PendingResolution[],
): Promise<ResolutionOutcome[]> {
  if (requests.length === 0) return [];
  type Row = {
    id: string;
    key: string;
    kind: string;
    debit_account_id: string;
    credit_account_id: string;
    amount_minor: bigint;
    currency: string;
    pending_id: string | null;
    code: string;
    ref: string | null;
  };
  // One read finds both the resolutions already booked (by their keys) and the pending
  // transfers they resolve. A pending transfer resolved under another key is not read
  // ahead: its unique pending_id refuses the insert below, and the row counts as lost.
  const byKey = new Map(
    (
      await selectWhereIn<Row>(ctx, {
        from: 'ledger_transfers',
        columns: [
          'id',
          'key',
          'kind',
          'debit_account_id',
          'credit_account_id',
          'amount_minor',
          'currency',
          'pending_id',
          'code',
          'ref',
        ],
        column: 'key',
        values: [...new Set(requests.flatMap((r) => [r.key, r.pendingKey]))],
      })
    ).map((row) => [row.key, row]),
  );
  const known = (key: string) => byKey.get(key);
  const pendingAt = (key: string) => {
    const row = byKey.get(key);
    return row?.kind === 'pending' ? row : undefined;
  };

  const now = toDbTime(ctx.clock.now());
  const outcomes: ResolutionOutcome[] = [];
  const rows: unknown[][] = [];
  const planned: {
    index: number;
    pending: Row;
    amount: bigint;
  }[] = [];
  const claimed = new Set<string>();
  for (const [index, request] of requests.entries()) {
    const pending = pendingAt(request.pendingKey);
    const stored = known(request.key);
    if (stored) {
      const same =
        stored.kind === request.kind &&
        stored.code === request.code &&
        stored.ref === request.ref &&
        stored.pending_id === (pending?.id ?? null) &&
        (request.amountMinor === undefined || stored.amount_minor === request.amountMinor);
      outcomes.push(same ? 'replayed' : 'conflict');
      continue;
    }
    if (!pending) {
      outcomes.push('not_found');
      continue;
    }
    if (claimed.has(pending.id)) {
      outcomes.push('already_resolved');
      continue;
    }
    const amount =
      request.kind === 'void'
        ? pending.amount_minor
        : (request.amountMinor ?? pending.amount_minor);
    if (request.kind === 'post' && (amount <= 0n || amount > pending.amount_minor)) {
      outcomes.push('amount_exceeds_pending');
      continue;
    }
    claimed.add(pending.id);
    outcomes.push('booked');
    planned.push({ index, pending, amount });
    rows.push([
      newId('trf', ctx.clock),
      request.key,
      request.kind,
      pending.debit_account_id,
      pending.credit_account_id,
      amount,
      pending.currency,
      pending.id,
      request.code,
      request.ref,
      request.explanation,
      now,
    ]);
  }
  const written = await insertTransfers(ctx, rows);
  // A row not written collided with a concurrent runner's: the same key (a twin, which
  // counts as a replay when it asked for the same) or the same pending transfer.
  const lost = planned.filter((p) => !written.has((requests[p.index] as PendingResolution).key));
  const twins = new Map(
    (
      await selectWhereIn<{ key: string; kind: string; pending_id: string | null }>(ctx, {
        from: 'ledger_transfers',
        columns: ['key', 'kind', 'pending_id'],
        column: 'key',
        values: lost.map((p) => (requests[p.index] as PendingResolution).key),
      })
    ).map((row) => [row.key, row]),
  );
  const deltas: BalanceDeltas = new Map();
  for (const { index, pending, amount } of planned) {
    const request = requests[index] as PendingResolution;
    if (!written.has(request.key)) {
      const twin = twins.get(request.key);
      outcomes[index] = !twin
        ? 'already_resolved'
        : twin.kind === request.kind && twin.pending_id === pending.id
          ? 'replayed'
          : 'conflict';
      continue;
    }
    const posted = request.kind === 'post' ? amount : 0n;
    addDelta(deltas, pending.debit_account_id, {
      debitsPending: -pending.amount_minor,
      debitsPosted: posted,
    });
    addDelta(deltas, pending.credit_account_id, {
      creditsPending: -pending.amount_minor,
      creditsPosted: posted,
    });
  }
  await applyBalanceDeltas(ctx, deltas);
  return outcomes;
}
