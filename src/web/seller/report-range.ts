import type { FastifyReply } from 'fastify';
import { DAY_MS } from '../../clock.js';
import { MAX_SELLER_RANGE_DAYS } from '../../sellers/seller-reports.js';
import { queryText } from '../console/inputs.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export type ReportRange = {
  /** As typed (or the defaults): first and last day, inclusive, YYYY-MM-DD. */
  fromDay: string;
  toDay: string;
  /** [from, to) for the services; absent with `error` when the days are not a range. */
  from: Date;
  to: Date;
  storeId: string | undefined;
  error?: string;
};

const dayOf = (text: string | undefined): Date | undefined => {
  if (!text || !DAY.test(text)) return undefined;
  const at = new Date(`${text}T00:00:00.000Z`);
  return Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== text ? undefined : at;
};

/**
 * The report range of a query: `from` and `to` days (UTC, inclusive; default the last 30
 * days to today) and an optional `store`. A day that is not one, or a range backwards or
 * over a year, comes back with `error` to show instead of the report.
 */
export function reportRange(query: unknown, now: Date): ReportRange {
  const today = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const fromDay =
    queryText(query, 'from', 10) ??
    new Date(today.getTime() - 29 * DAY_MS).toISOString().slice(0, 10);
  const toDay = queryText(query, 'to', 10) ?? today.toISOString().slice(0, 10);
  const storeId = queryText(query, 'store', 64);
  const from = dayOf(fromDay);
  const last = dayOf(toDay);
  const base = { fromDay, toDay, storeId };
  if (!from || !last)
    return { ...base, from: today, to: today, error: 'From and to must be days, YYYY-MM-DD.' };
  const to = new Date(last.getTime() + DAY_MS);
  if (from >= to) return { ...base, from, to, error: 'From must be on or before to.' };
  if (to.getTime() - from.getTime() > MAX_SELLER_RANGE_DAYS * DAY_MS)
    return { ...base, from, to, error: `At most ${MAX_SELLER_RANGE_DAYS} days at a time.` };
  return { ...base, from, to };
}

/** A CSV file to download. */
export function csvAttachment(reply: FastifyReply, filename: string): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`);
}
