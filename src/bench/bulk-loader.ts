import type SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { openSqlite } from '../db/connection.js';

export type LoadColumn = { name: string; type: 'text' | 'bigint' };
export type LoadTable = { name: string; columns: readonly LoadColumn[] };

/**
 * Rows straight into tables for benchmark data, as fast as each database takes them: SQLite
 * by cached multi-row inserts in large transactions with synchronous=OFF (a crash loses the
 * data set, which is rebuilt anyway); PostgreSQL by `unnest` of one array per column, a few
 * thousand rows a statement. Rows are buffered per table; `commit` writes them and ends
 * the transaction.
 */
export interface BulkLoader {
  add(table: LoadTable, row: unknown[]): Promise<void>;
  commit(): Promise<void>;
  close(): Promise<void>;
}

const SQLITE_ROWS = 100;
const PG_ROWS = 5000;

export function sqliteLoader(file: string): BulkLoader {
  const sqlite = openSqlite(file);
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -262144');
  const statements = new Map<string, SqliteDatabase.Statement>();
  const buffers = new Map<LoadTable, unknown[][]>();
  let open = false;
  const statement = (table: LoadTable, rows: number) => {
    const key = `${table.name} ${rows}`;
    let s = statements.get(key);
    if (!s) {
      const one = `(${table.columns.map(() => '?').join(', ')})`;
      s = sqlite.prepare(
        `insert into ${table.name} (${table.columns.map((c) => c.name).join(', ')}) values ${Array(rows).fill(one).join(', ')}`,
      );
      statements.set(key, s);
    }
    return s;
  };
  const flush = (table: LoadTable, rows: unknown[][]) => {
    if (!open) {
      sqlite.exec('begin');
      open = true;
    }
    let at = 0;
    for (; rows.length - at >= SQLITE_ROWS; at += SQLITE_ROWS)
      statement(table, SQLITE_ROWS).run(rows.slice(at, at + SQLITE_ROWS).flat());
    for (; at < rows.length; at += 1) statement(table, 1).run(rows[at] as unknown[]);
  };
  return {
    async add(table, row) {
      let rows = buffers.get(table);
      if (!rows) {
        rows = [];
        buffers.set(table, rows);
      }
      rows.push(row);
      if (rows.length >= SQLITE_ROWS * 10) {
        flush(table, rows);
        buffers.set(table, []);
      }
    },
    async commit() {
      for (const [table, rows] of buffers) flush(table, rows);
      buffers.clear();
      if (open) sqlite.exec('commit');
      open = false;
    },
    async close() {
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
      sqlite.close();
    },
  };
}

export function postgresLoader(databaseUrl: string): BulkLoader {
  const client = new pg.Client({ connectionString: databaseUrl });
  const connected = client.connect();
  const buffers = new Map<LoadTable, unknown[][]>();
  let open = false;
  const flush = async (table: LoadTable, rows: unknown[][]) => {
    if (rows.length === 0) return;
    await connected;
    if (!open) {
      await client.query('begin');
      open = true;
    }
    const names = table.columns.map((c) => c.name).join(', ');
    const arrays = table.columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
    await client.query(
      `insert into ${table.name} (${names}) select * from unnest(${arrays})`,
      table.columns.map((_column, i) =>
        rows.map((row) => {
          const value = row[i];
          return typeof value === 'bigint' ? value.toString() : value;
        }),
      ),
    );
  };
  return {
    async add(table, row) {
      let rows = buffers.get(table);
      if (!rows) {
        rows = [];
        buffers.set(table, rows);
      }
      rows.push(row);
      if (rows.length >= PG_ROWS) {
        buffers.set(table, []);
        await flush(table, rows);
      }
    },
    async commit() {
      for (const [table, rows] of buffers) await flush(table, rows);
      buffers.clear();
      if (open) await client.query('commit');
      open = false;
    },
    async close() {
      await connected;
      await client.end();
    },
  };
}
