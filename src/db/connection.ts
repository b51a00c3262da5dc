import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { withStatementCache } from './statement-cache.js';
import type { Database, Dialect } from './types.js';

export type Connection = {
  db: Kysely<Database>;
  dialect: Dialect;
  /** The SQLite handle under Kysely, for bulk writes with cached statements (db/bulk-upsert.ts). */
  sqlite: SqliteDatabase.Database | undefined;
  /** The SQLite file, for writers on other threads; undefined for PostgreSQL and ':memory:'. */
  file: string | undefined;
  close(): Promise<void>;
};

export type ConnectOptions = {
  /** postgres://… selects PostgreSQL; otherwise SQLite. */
  databaseUrl?: string | undefined;
  /** SQLite file; ':memory:' for tests. */
  sqliteFile?: string;
  /** PostgreSQL schema to put first on the search path (tests use one fresh schema per run). */
  pgSchema?: string;
  pgPoolSize?: number;
};

const INT8_OID = 20;

export function connect(options: ConnectOptions): Connection {
  if (options.databaseUrl) return connectPostgres(options.databaseUrl, options);
  return connectSqlite(options.sqliteFile ?? ':memory:');
}

/** A better-sqlite3 handle with affnet's settings; bulk writers on other threads open their own. */
export function openSqlite(file: string): SqliteDatabase.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  // WAL lets the CLI read and write while the server runs; NORMAL sync in WAL mode never
  // corrupts and loses nothing on a process crash (only on power loss before a checkpoint).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // Checkpoint the WAL into the database every 20,000 pages (80 MiB) instead of every
  // 1,000: each checkpoint syncs the file, and bulk writers (order ingest, settlement)
  // wrote 5–8% faster. A crash replays at most that much WAL on the next open.
  sqlite.pragma('wal_autocheckpoint = 20000');
  // SQLite's default page cache (2 MiB per connection); the OS's file cache holds the rest.
  // 32 MiB per connection was measured against it on 2026-11-26 and bought nothing:
  // bench:orders at 1M sub-orders and bench:reports at 3M clicks within the runs' noise,
  // the soak's server CPU the same; but the two connections' caches filling to 64 MiB
  // were all of the soak's memory growth (+12.8 % and +18.4 %; +5.2 % with the default).
  sqlite.defaultSafeIntegers(true);
  return sqlite;
}

function connectSqlite(file: string): Connection {
  const sqlite = openSqlite(file);
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return {
    db,
    dialect: 'sqlite',
    sqlite,
    file: file === ':memory:' ? undefined : file,
    close: () => db.destroy(),
  };
}

function connectPostgres(url: string, options: ConnectOptions): Connection {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.pgPoolSize ?? 10,
    ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? (value: string) => BigInt(value)
          : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', sqlite: undefined, file: undefined, close: () => db.destroy() };
}

/** Unique-constraint violations look different on each database; callers map them to AppErrors. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
