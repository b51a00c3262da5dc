import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Ctx } from '../context.js';
import { cachedStatement } from './bulk-upsert.js';

const identifier = /^[a-z_][a-z0-9_]*$/;

export type WhereIn = {
  from: string;
  columns: readonly string[];
  /** The text column matched against `values`. */
  column: string;
  values: readonly string[];
  /** A fixed extra condition written by the caller (no user input), e.g. "kind = 'pending'". */
  and?: string;
  /**
   * Lock the rows (PostgreSQL `for update`, in `column` order so that two lockers cannot
   * deadlock each other). SQLite has one writer at a time and needs no lock.
   */
  forUpdate?: boolean;
};

/**
 * `select … where column in (values)` for many values at once with one statement whatever
 * their number: a JSON array through json_each on SQLite (one cached statement), an array
 * parameter with `= any` on PostgreSQL. A query builder compiling a thousand-value IN list
 * cost several times the lookup itself.
 */
export async function selectWhereIn<T>(
  ctx: Pick<Ctx, 'db' | 'sqlite'>,
  query: WhereIn,
): Promise<T[]> {
  if (query.values.length === 0) return [];
  for (const name of [query.from, query.column, ...query.columns]) assert.match(name, identifier);
  const columns = query.columns.join(', ');
  const and = query.and ? ` and ${query.and}` : '';
  if (ctx.sqlite) {
    const text = `select ${columns} from ${query.from} where ${query.column} in (select value from json_each(?))${and}`;
    return cachedStatement(ctx.sqlite, text).all([JSON.stringify(query.values)]) as T[];
  }
  const lock = query.forUpdate ? ` order by ${query.column} for update` : '';
  const { rows } = await sql<T>`select ${sql.raw(columns)} from ${sql.raw(query.from)}
    where ${sql.raw(query.column)} = any(${query.values}::text[])${sql.raw(and)}${sql.raw(lock)}`.execute(
    ctx.db,
  );
  return rows;
}
