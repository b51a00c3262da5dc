import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { type Ctx, inTransaction } from '../context.js';

export type BulkColumn = { name: string; type: 'text' | 'bigint' };
export type BulkSpec = {
  table: string;
  columns: readonly BulkColumn[];
  /**
   * The unique key a row may collide on; empty: any (only with `update: 'nothing'`);
   * 'fail': a plain insert, where a collision is an error (rolls back the statement).
   */
  conflict: readonly string[] | 'fail';
  /** Columns a colliding row overwrites; 'nothing' keeps the stored row. */
  update: readonly string[] | 'nothing';
  /** Counter columns a colliding row adds to instead (rollups). */
  increment?: readonly string[];
};

export const MAX_BULK_ROWS = 1000;
const MAX_CACHED_STATEMENTS = 64;
const SQLITE_CHUNKS = [256, 64, 16, 4, 1] as const;
const identifier = /^[a-z_][a-z0-9_]*$/;

/**
 * Inserts many rows in one statement, updating those that collide, in a transaction.
 * SQLite runs a cached prepared statement on the handle under Kysely (Kysely prepares each
 * statement anew, which costs more than the insert itself for large batches); PostgreSQL
 * sends one column array per column through unnest(), so the statement stays small.
 */
export async function bulkUpsert(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite'>,
  spec: BulkSpec,
  rows: readonly unknown[][],
): Promise<void> {
  await bulkInsertCount(ctx, spec, rows);
}

/**
 * bulkUpsert that returns how many rows it wrote (inserted, or updated): with
 * `update: 'nothing'`, the rows that collided (written before, or by a concurrent twin)
 * are not counted. A count instead of RETURNING: on SQLite, returning the rows made a
 * ledger insert about 40% dearer, and most callers only need to know that all were written.
 */
export async function bulkInsertCount(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite'>,
  spec: BulkSpec,
  rows: readonly unknown[][],
): Promise<number> {
  if (rows.length === 0) return 0;
  assert.ok(rows.length <= MAX_BULK_ROWS, `at most ${MAX_BULK_ROWS} rows per bulk write`);
  if (ctx.sqlite) {
    const { sqlite } = ctx;
    let written = 0;
    // Kysely's single SQLite connection is held by the transaction, so nothing interleaves.
    await inTransaction(ctx, async () => {
      // Rows go in chunks of fixed sizes (256, 64, 16, 4, 1), so a handful of cached
      // statements serve every batch size instead of one prepare per size.
      let at = 0;
      for (const size of SQLITE_CHUNKS) {
        for (; rows.length - at >= size; at += size) {
          const statement = upsertStatement(sqlite, spec, size);
          written += statement.run(rows.slice(at, at + size).flat()).changes;
        }
      }
    });
    return written;
  }
  const names = spec.columns.map((c) => c.name).join(', ');
  const arrays = spec.columns.map(
    (column, i) => sql`${rows.map((row) => row[i])}::${sql.raw(column.type)}[]`,
  );
  const result = await sql`insert into ${sql.raw(spec.table)} (${sql.raw(names)})
    select * from unnest(${sql.join(arrays)})
    ${sql.raw(onConflictClause(spec))}`.execute(ctx.db);
  return Number(result.numAffectedRows ?? 0n);
}

/** Objects as the rows of a bulk write: their values in the spec's column order (missing: null). */
export function rowsOf(spec: BulkSpec, objects: readonly object[]): unknown[][] {
  const names = spec.columns.map((c) => c.name);
  return objects.map((o) => names.map((name) => (o as Record<string, unknown>)[name] ?? null));
}

/** bulkUpsert in slices of MAX_BULK_ROWS, for callers whose batches may be larger. */
export async function bulkUpsertAll(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite'>,
  spec: BulkSpec,
  rows: readonly unknown[][],
): Promise<void> {
  for (let start = 0; start < rows.length; start += MAX_BULK_ROWS)
    await bulkUpsert(ctx, spec, rows.slice(start, start + MAX_BULK_ROWS));
}

const upsertTexts = new WeakMap<BulkSpec, Map<number, string>>();

/** The cached statement for `size` rows of `spec`; its text is built once per spec and size. */
function upsertStatement(
  sqlite: NonNullable<Ctx['sqlite']>,
  spec: BulkSpec,
  size: number,
): CachedStatement {
  let texts = upsertTexts.get(spec);
  if (!texts) {
    texts = new Map();
    upsertTexts.set(spec, texts);
  }
  let text = texts.get(size);
  if (text === undefined) {
    text = sqliteUpsertText(spec, size);
    texts.set(size, text);
  }
  return cachedStatement(sqlite, text);
}

/** `insert … values (?, …), … on conflict …` for SQLite, `rowCount` rows. */
export function sqliteUpsertText(spec: BulkSpec, rowCount: number): string {
  const names = spec.columns.map((c) => c.name).join(', ');
  const placeholders = `(${spec.columns.map(() => '?').join(', ')})`;
  return `insert into ${spec.table} (${names}) values ${Array(rowCount).fill(placeholders).join(', ')} ${onConflictClause(spec)}`;
}

function onConflictClause(spec: BulkSpec): string {
  const conflict = spec.conflict === 'fail' ? [] : spec.conflict;
  for (const name of [spec.table, ...spec.columns.map((c) => c.name), ...conflict])
    assert.match(name, identifier);
  if (spec.conflict === 'fail') return '';
  // No conflict columns: any unique key that collides makes the row a no-op.
  const target =
    spec.conflict.length === 0 ? 'on conflict' : `on conflict (${spec.conflict.join(', ')})`;
  const sets = [
    ...(spec.update === 'nothing' ? [] : spec.update.map((c) => `${c} = excluded.${c}`)),
    ...(spec.increment ?? []).map((c) => `${c} = ${spec.table}.${c} + excluded.${c}`),
  ];
  for (const name of sets) assert.match(name.split(' ')[0] as string, identifier);
  return sets.length === 0 ? `${target} do nothing` : `${target} do update set ${sets.join(', ')}`;
}

type CachedStatement = {
  run(params: unknown[] | Record<string, unknown>): { changes: number };
  get(params: unknown[] | Record<string, unknown>): unknown;
  all(params: unknown[] | Record<string, unknown>): unknown[];
};
const statements = new WeakMap<object, Map<string, CachedStatement>>();

/** A prepared statement kept per SQLite handle (at most 64 per handle, oldest dropped first). */
export function cachedStatement(sqlite: NonNullable<Ctx['sqlite']>, text: string): CachedStatement {
  let cache = statements.get(sqlite);
  if (!cache) {
    cache = new Map();
    statements.set(sqlite, cache);
  }
  let statement = cache.get(text);
  if (!statement) {
    if (cache.size >= MAX_CACHED_STATEMENTS) cache.delete(cache.keys().next().value as string);
    statement = sqlite.prepare(text);
    cache.set(text, statement);
  }
  return statement;
}
