import { z } from 'zod';
import type { PayoutRail, WithdrawalState } from '../db/types.js';

export type { PayoutRail, WithdrawalState };

/** The states as the affiliate reads them. */
export const stateLabels: Record<WithdrawalState, string> = {
  processing: 'Processing',
  succeeded: 'Success',
  failed: 'Failed',
  returned: 'Returned',
};

export const withdrawalRequest = z
  .object({
    affiliateId: z.string().min(1).max(64),
    amountMinor: z.bigint().positive('the amount must be above zero'),
    /** The caller's key: the same request again returns the first withdrawal. */
    idempotencyKey: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'idempotency keys are 1–100 letters, digits, . _ : -')
      .optional(),
  })
  .strict();
export type WithdrawalRequest = z.input<typeof withdrawalRequest>;

export const periodText = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a period is a month, YYYY-MM');

/** A withdrawal as the affiliate and the operator see it. */
export type Withdrawal = {
  id: string;
  affiliateId: string;
  state: WithdrawalState;
  /** Processing, Success, Failed or Returned. */
  stateLabel: string;
  rail: PayoutRail;
  currency: string;
  /** Taken from the balance: net + fee. */
  amountMinor: bigint;
  feeMinor: bigint;
  /** What the bank account receives. */
  netMinor: bigint;
  bankAccountId: string;
  source: 'request' | 'payout_run';
  period: string | null;
  batchId: string | null;
  requestedAt: string;
  /** When it left in a bank file. */
  sentAt: string | null;
  succeededAt: string | null;
  /** When the bank refused or returned it. */
  failedAt: string | null;
  reasonCode: string | null;
  reasonText: string | null;
};

export type WithdrawalQuote = {
  affiliateId: string;
  currency: string;
  amountMinor: bigint;
  feeMinor: bigint;
  netMinor: bigint;
  availableMinor: bigint;
  minimumMinor: bigint;
  rail: PayoutRail;
  bankAccount: string;
};
