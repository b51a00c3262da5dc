import { z } from 'zod';
import { isCurrencyCode } from '../../currencies.js';
import { AppError, type ErrorCode } from '../../errors.js';
import { formatDecimal, parseDecimalAmount } from '../../money.js';

/** "7.25" or "7.25 %" → 725 basis points; undefined when it is not a percentage to 2 decimals. */
export function parsePercent(text: string): number | undefined {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?\s*%?$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** 725 → "7.25": a rate as it is typed into a form. */
export function percentText(rateBp: number | bigint): string {
  const bp = Number(rateBp);
  return `${Math.trunc(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;
}

/** An amount as typed, in minor units of `currency` (see parseDecimalAmount). */
export function parseAmount(text: string, currency: string): bigint | undefined {
  return isCurrencyCode(currency) ? parseDecimalAmount(text, currency) : undefined;
}

export function amountText(minor: bigint, currency: string): string {
  return formatDecimal(minor, currency);
}

/** A percentage field of a form, as basis points. */
export const percentInput = z
  .string()
  .trim()
  .min(1, 'enter a rate, e.g. 7.5')
  .transform((text, ctx) => {
    const bp = parsePercent(text);
    if (bp === undefined || bp > 10_000) {
      ctx.addIssue('a percentage between 0 and 100 with at most 2 decimals, e.g. 7.5');
      return z.NEVER;
    }
    return bp;
  });

/**
 * An optional "effective from" day (YYYY-MM-DD, UTC): empty or today means now; a later
 * day means its midnight UTC; an earlier one is refused, as the services refuse it.
 */
export function effectiveDay(now: Date) {
  return z
    .string()
    .trim()
    .max(10)
    .optional()
    .transform((text, ctx) => {
      if (!text) return undefined;
      const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00.000Z`) : undefined;
      // 2026-02-30 parses as 2 March: a day that does not come back the same does not exist.
      if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text) {
        ctx.addIssue('a day, YYYY-MM-DD');
        return z.NEVER;
      }
      const today = now.toISOString().slice(0, 10);
      if (text < today) {
        ctx.addIssue('today or later: a change cannot be dated in the past');
        return z.NEVER;
      }
      return text === today ? undefined : day;
    });
}

/**
 * Text that can be stored or looked up: PostgreSQL refuses a NUL character in text (the
 * query fails), so a NUL is never passed on.
 */
export function storable(text: string): boolean {
  return !text.includes('\0');
}

/** Optional text of a query string: anything else (arrays, over-long, a NUL) is dropped. */
export function queryText(query: unknown, key: string, max = 200): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' && value.length <= max && value.trim() !== '' && storable(value)
    ? value.trim()
    : undefined;
}

/**
 * An id from the path, as a lookup may use it: an id that no row can have (over 200
 * characters, a NUL) is not found, with the error the service would give.
 */
export function pathId(id: string, code: ErrorCode, what: string): string {
  if (id.length > 200 || !storable(id)) throw new AppError(code, `no ${what} ${id.slice(0, 40)}`);
  return id;
}
