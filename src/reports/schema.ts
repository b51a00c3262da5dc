import { z } from 'zod';
import { isCurrencyCode } from '../currencies.js';

export const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day, YYYY-MM-DD');
export const currencyCode = z
  .string()
  .transform((code) => code.toUpperCase())
  .refine(isCurrencyCode, 'not an ISO 4217 currency code');
/** The longest range a report reads at once. */
export const MAX_RANGE_DAYS = 366;

export const dayRange = z
  .object({ from: day, to: day })
  .refine((q) => q.from <= q.to, 'from must not be after to')
  .refine(
    (q) => Date.parse(q.to) - Date.parse(q.from) < MAX_RANGE_DAYS * 86_400_000,
    `at most ${MAX_RANGE_DAYS} days at a time`,
  );

/** What the order rollups count, summed. */
export type OrderCounts = {
  leads: bigint;
  approvedLeads: bigint;
  invalidLeads: bigint;
  /** Commission of the leads not Invalid, in the report's currency. */
  estimatedMinor: bigint;
  /** What settlement posted. */
  settledMinor: bigint;
  /** Taken back by refunds after settlement (settled − clawed back is what the affiliate keeps). */
  clawedBackMinor: bigint;
};

/** Clicks and orders of a period (or a day, a tracking id, a sub1). */
export type ReportTotals = OrderCounts & { clicks: bigint; uniqueClicks: bigint };

export function emptyTotals(): ReportTotals {
  return {
    clicks: 0n,
    uniqueClicks: 0n,
    leads: 0n,
    approvedLeads: 0n,
    invalidLeads: 0n,
    estimatedMinor: 0n,
    settledMinor: 0n,
    clawedBackMinor: 0n,
  };
}
