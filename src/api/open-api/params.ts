import { invalid, missing } from './errors.js';

/** Request parameters by name, from the query string and a form body together. */
export type Params = Readonly<Record<string, string>>;

/** The platform's local time: `yyyy-MM-dd HH:mm:ss` timestamps and order times are GMT+8. */
export const PLATFORM_OFFSET_MS = 8 * 3_600_000;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** `yyyy-MM-dd HH:mm:ss` in the platform's time (GMT+8), or undefined when malformed. */
export function parsePlatformTime(text: string): Date | undefined {
  const m = LOCAL.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - PLATFORM_OFFSET_MS;
  const back = new Date(ms + PLATFORM_OFFSET_MS);
  // 2026-02-30 is not a date: it must survive the round trip.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
    return undefined;
  return new Date(ms);
}

/** A stored UTC time as the platform writes it: `yyyy-MM-dd HH:mm:ss`, GMT+8. */
export function platformTime(iso: string | null): string | null {
  if (iso === null) return null;
  return new Date(Date.parse(iso) + PLATFORM_OFFSET_MS)
    .toISOString()
    .slice(0, 19)
    .replace('T', ' ');
}

/**
 * A parameter's value in a table of names (sorts, statuses, promos): only the table's own
 * names count. `table[text]` also answered `constructor` or `__proto__` with what every
 * object inherits, and the method then failed (ServiceUnavailable) or ran with a junk sort.
 */
export function lookup<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

export function required(params: Params, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw missing(name);
  return value;
}

/** An integer parameter within bounds, or its default when absent. */
export function intParam(
  params: Params,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const text = params[name];
  if (text === undefined || text === '') return fallback;
  if (!/^-?\d{1,12}$/.test(text)) throw invalid(name, `${text} is not a whole number`);
  const value = Number(text);
  if (value < min || value > max) throw invalid(name, `must be between ${min} and ${max}`);
  return value;
}

/** A comma-separated list, trimmed, empty items dropped, at most `max` items. */
export function listParam(params: Params, name: string, max: number): string[] {
  const text = params[name];
  if (!text) return [];
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length > max) throw invalid(name, `at most ${max} values`);
  return items;
}

/** Keeps only the requested fields of each row (`fields=a,b`); all of them without the parameter. */
export function pickFields<T extends Record<string, unknown>>(
  rows: T[],
  params: Params,
): Partial<T>[] {
  const fields = listParam(params, 'fields', 100);
  if (fields.length === 0) return rows;
  return rows.map(
    (row) =>
      Object.fromEntries(fields.filter((f) => f in row).map((f) => [f, row[f]])) as Partial<T>,
  );
}
