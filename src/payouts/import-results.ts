import { flagBankAccount } from '../affiliates/payout-accounts.js';
import { type Ctx, inTransaction } from '../context.js';
import { selectWhereIn } from '../db/select-where-in.js';
import { toDbTime } from '../db/time.js';
import type { WithdrawalsTable } from '../db/types.js';
import { takeWriteLock } from '../db/write-lock.js';
import { AppError } from '../errors.js';
import { createTransfersBatch } from '../ledger/create-transfers-batch.js';
import { resolvePendingBatch } from '../ledger/resolve-pending-batch.js';
import { withdrawalEvent } from '../webhooks/affiliate-events.js';
import { type AffiliateEvent, emitEvents } from '../webhooks/emit-events.js';
import { notifyBankAccountFlagged, notifyWithdrawal } from './notify.js';
import { toWithdrawal } from './queries.js';
import { type LineProblem, type ResultLine, readResultsFile } from './read-results-file.js';
import type { WithdrawalState } from './schema.js';
import {
  type WithdrawalMoney,
  withdrawalResolutions,
  withdrawalReturns,
} from './withdrawal-transfers.js';

export type ImportSummary = {
  lines: number;
  succeeded: number;
  failed: number;
  returned: number;
  /** Lines imported before (the same file again): nothing to do. */
  unchanged: number;
};

type Row = Pick<
  WithdrawalsTable,
  'id' | 'affiliate_id' | 'bank_account_id' | 'rail' | 'currency' | 'state' | 'exported_at'
> & { amount_minor: bigint; fee_minor: bigint; net_minor: bigint };

const WITHDRAWAL_COLUMNS = [
  'id',
  'affiliate_id',
  'bank_account_id',
  'rail',
  'currency',
  'amount_minor',
  'fee_minor',
  'net_minor',
  'state',
  'exported_at',
] as const;

/** What a result does to a withdrawal in each state; missing: the result cannot follow. */
const NEXT: Partial<
  Record<WithdrawalState, Partial<Record<ResultLine['status'], WithdrawalState>>>
> = {
  processing: { accepted: 'succeeded', rejected: 'failed', returned: 'returned' },
  succeeded: { returned: 'returned' },
};

/**
 * Applies a bank's results file, whole or not at all: every line is checked first
 * (format, known transfer, a change its state allows) and any problem refuses the file
 * with every bad line listed. Accepted posts the withdrawal's pending transfers. Rejected
 * or returned gives the amount and the fee back (voids them, or after an acceptance books
 * correcting transfers), records the bank's reason and flags the bank account. Each
 * result emails the affiliate and is queued for their webhooks. A line
 * imported before is skipped, so the same file can be imported twice.
 */
export async function importResults(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock'>,
  text: string,
): Promise<ImportSummary> {
  const { lines, problems } = readResultsFile(text);
  // A file that is not a results file at all (header, CSV syntax) stops here.
  if (problems.some((p) => p.line === 1)) refuse(problems);
  return inTransaction(ctx, async (tx) => {
    await takeWriteLock(tx);
    const ids = [...new Set(lines.map((l) => l.endToEndId))];
    const rows = new Map(
      (
        await selectWhereIn<Row>(tx, {
          from: 'withdrawals',
          columns: WITHDRAWAL_COLUMNS,
          column: 'id',
          values: ids,
          forUpdate: true,
        })
      ).map((r) => [r.id, { ...r }]),
    );
    const done = new Set(
      (
        await selectWhereIn<{ withdrawal_id: string; status: string }>(tx, {
          from: 'payout_results',
          columns: ['withdrawal_id', 'status'],
          column: 'withdrawal_id',
          values: ids,
        })
      ).map((r) => `${r.withdrawal_id} ${r.status}`),
    );
    // Check every line against the state the lines before it leave (a file may accept a
    // transfer and later return it).
    const plan: { line: ResultLine; row: Row; from: WithdrawalState; to: WithdrawalState }[] = [];
    const bad: LineProblem[] = [...problems];
    const summary: ImportSummary = {
      lines: lines.length,
      succeeded: 0,
      failed: 0,
      returned: 0,
      unchanged: 0,
    };
    for (const line of lines) {
      const row = rows.get(line.endToEndId);
      if (!row) {
        bad.push({ line: line.line, message: `no withdrawal ${line.endToEndId}` });
        continue;
      }
      if (done.has(`${row.id} ${line.status}`)) {
        summary.unchanged += 1;
        continue;
      }
      if (row.rail !== 'manual' && row.exported_at === null) {
        bad.push({ line: line.line, message: `${row.id} was never sent in a bank file` });
        continue;
      }
      const to = NEXT[row.state]?.[line.status];
      if (!to) {
        bad.push({
          line: line.line,
          message: `${row.id} is ${row.state}: a result "${line.status}" cannot follow`,
        });
        continue;
      }
      plan.push({ line, row, from: row.state, to });
      row.state = to;
      done.add(`${row.id} ${line.status}`);
    }
    if (bad.length > 0) refuse(bad.sort((a, b) => a.line - b.line));

    const now = toDbTime(tx.clock.now());
    const events: AffiliateEvent[] = [];
    for (const { line, row, from, to } of plan) {
      const money: WithdrawalMoney = {
        id: row.id,
        affiliateId: row.affiliate_id,
        currency: row.currency,
        netMinor: row.net_minor,
        feeMinor: row.fee_minor,
      };
      const reason = [line.reasonCode, line.reasonText].filter(Boolean).join(': ');
      const why = `Bank result ${line.status} on ${line.date}${reason ? ` (${reason})` : ''}`;
      if (to === 'succeeded') {
        await resolvePendingBatch(tx, withdrawalResolutions(money, 'post', why));
        summary.succeeded += 1;
      } else if (from === 'processing') {
        await resolvePendingBatch(tx, withdrawalResolutions(money, 'void', why));
      } else {
        await createTransfersBatch(tx, withdrawalReturns(money, why));
      }
      if (to === 'failed') summary.failed += 1;
      if (to === 'returned') summary.returned += 1;
      const updated = await tx.db
        .updateTable('withdrawals')
        .set({
          state: to,
          bank_date: line.date,
          ...(to === 'succeeded'
            ? { succeeded_at: now }
            : { failed_at: now, reason_code: line.reasonCode, reason_text: line.reasonText }),
        })
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await tx.db
        .insertInto('payout_results')
        .values({
          withdrawal_id: row.id,
          status: line.status,
          reason_code: line.reasonCode,
          reason_text: line.reasonText,
          bank_date: line.date,
          imported_at: now,
        })
        .execute();
      const withdrawal = toWithdrawal(updated);
      await notifyWithdrawal(tx, withdrawal, to as Exclude<WithdrawalState, 'processing'>);
      events.push(withdrawalEvent(withdrawal));
      if (
        to !== 'succeeded' &&
        (await flagBankAccount(tx, row.bank_account_id, reason || line.status))
      )
        await notifyBankAccountFlagged(
          tx,
          row.affiliate_id,
          row.bank_account_id,
          reason || line.status,
        );
    }
    // The affiliates' webhooks: withdrawal.succeeded, or withdrawal.failed with the reason.
    await emitEvents(tx, events);
    return summary;
  });
}

function refuse(problems: readonly LineProblem[]): never {
  const shown = problems
    .slice(0, 20)
    .map((p) => `line ${p.line}: ${p.message}`)
    .join('; ');
  const more = problems.length > 20 ? `; and ${problems.length - 20} more` : '';
  throw new AppError(
    'invalid_results_file',
    `the results file was not applied: ${shown}${more}`,
    problems,
  );
}
