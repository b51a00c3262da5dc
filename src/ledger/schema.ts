import type { LedgerAccountKind, TransferKind } from '../db/types.js';

export type { LedgerAccountKind, TransferKind };

/** The owner of the program's own accounts (commission expense, fees, payouts in transit). */
export const PROGRAM_OWNER = 'program';

export type AccountRef = { kind: LedgerAccountKind; ownerId: string; currency: string };

/**
 * A transfer to make. `posted` and `pending` move `amountMinor` from `debit` to `credit`;
 * `post` settles a pending transfer (all of it, or `amountMinor` of it, the rest released)
 * and `void` releases it; both name it by `pendingKey`. `key` is the caller's idempotency
 * key: the same request again returns the first transfer.
 */
export type TransferRequest =
  | {
      kind: 'posted' | 'pending';
      key: string;
      debit: AccountRef;
      credit: AccountRef;
      amountMinor: bigint;
      code: string;
      ref?: string | null;
      explanation?: string | null;
    }
  | {
      kind: 'post';
      key: string;
      pendingKey: string;
      /** At most the pending amount; the default posts all of it. */
      amountMinor?: bigint;
      code: string;
      ref?: string | null;
      explanation?: string | null;
    }
  | {
      kind: 'void';
      key: string;
      pendingKey: string;
      code: string;
      ref?: string | null;
      explanation?: string | null;
    };

export type Transfer = {
  id: string;
  key: string;
  kind: TransferKind;
  debitAccountId: string;
  creditAccountId: string;
  amountMinor: bigint;
  currency: string;
  pendingId: string | null;
  code: string;
  ref: string | null;
  explanation: string | null;
  createdAt: string;
};

/** An account's four sums, TigerBeetle-style. */
export type AccountBalance = {
  debitsPending: bigint;
  creditsPending: bigint;
  debitsPosted: bigint;
  creditsPosted: bigint;
};
