import { z } from 'zod';
import { FRAUD_SIGNALS } from './signals.js';

export const MAX_FLAG_PAGE = 200;
export const MAX_NOTE_CHARS = 500;

/** Which flags a listing shows: open ones (or all), of a signal, of an affiliate, a page before a flag id. */
export const flagFilter = z
  .object({
    open: z.boolean().default(true),
    signal: z.enum(FRAUD_SIGNALS).optional(),
    affiliate_id: z.string().min(1).max(64).optional(),
    before: z.string().min(1).max(64).optional(),
    limit: z.number().int().min(1).max(MAX_FLAG_PAGE).default(50),
  })
  .strict();
export type FlagFilter = z.input<typeof flagFilter>;

const note = z
  .string()
  .trim()
  .max(MAX_NOTE_CHARS, `at most ${MAX_NOTE_CHARS} characters`)
  .refine((text) => !text.includes('\u0000'), 'remove the NUL character');

/** Releasing: a note is welcome. Invalidating: the note is required — the order's money is voided on it. */
export const releaseInput = z.object({ note: note.optional() }).strict();
export const invalidateInput = z
  .object({ note: note.pipe(z.string().min(1, 'say why the order is invalid')) })
  .strict();

/** A flag as the operator's API, console and CLI show it. */
export type FlagView = {
  id: string;
  orderId: string;
  subOrderId: string | null;
  affiliateId: string;
  signal: string;
  /** The signal in plain words. */
  words: string;
  reason: string;
  createdAt: string;
  resolvedAt: string | null;
  resolution: 'released' | 'invalidated' | null;
  resolvedBy: string | null;
  note: string | null;
  /** The order's sub-orders the flag covers: their state and the commission at stake. */
  order: {
    paidAt: string;
    statuses: string[];
    commissionMinor: bigint;
    currency: string;
  } | null;
};
