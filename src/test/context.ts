import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { ManualClock } from '../clock.js';
import type { Ctx } from '../context.js';
import { connect } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import type { Database, Dialect } from '../db/types.js';
import { createLogger } from '../log.js';
import { SecretBox } from '../security/secret-box.js';

export type TestContext = Ctx & { db: Kysely<Database>; clock: ManualClock };

export const TEST_START = '2026-03-01T12:00:00.000Z';
/** The advisory lock that serialises test schemas' creation, migration and removal. */
const SCHEMA_LOCK = 727_001;
const databaseUrl = process.env.DATABASE_URL;

/**
 * A migrated database of the given kind; PostgreSQL gets a fresh schema that close() drops.
 * SQLite lives in memory, or in `sqliteFile` when another connection must share it.
 */
export async function createTestContext(
  dialect: Dialect,
  options: { sqliteFile?: string } = {},
): Promise<TestContext & { close(): Promise<void>; pgSchema?: string }> {
  const clock = new ManualClock(TEST_START);
  const base = {
    clock,
    secrets: new SecretBox(randomBytes(32)),
    log: createLogger('silent'),
  };
  if (dialect === 'sqlite') {
    const connection = connect({ sqliteFile: options.sqliteFile ?? ':memory:' });
    await migrateToLatest(connection.db);
    return {
      ...base,
      db: connection.db,
      dialect,
      sqlite: connection.sqlite,
      sqliteFile: options.sqliteFile,
      close: connection.close,
    };
  }
  if (!databaseUrl) throw new Error('DATABASE_URL is not set');
  const schema = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  // Kysely's migrator reads the catalog of every schema; another test file dropping its
  // schema at that moment made it fail ("schema … does not exist"). Test schemas are
  // created, migrated and dropped one at a time.
  await admin.query('select pg_advisory_lock($1)', [SCHEMA_LOCK]);
  const connection = connect({ databaseUrl, pgSchema: schema, pgPoolSize: 4 });
  try {
    await admin.query(`create schema ${schema}`);
    await migrateToLatest(connection.db, { schema });
  } finally {
    await admin.query('select pg_advisory_unlock($1)', [SCHEMA_LOCK]);
    await admin.end();
  }
  return {
    ...base,
    db: connection.db,
    dialect,
    sqlite: undefined,
    sqliteFile: undefined,
    pgSchema: schema,
    async close() {
      await connection.close();
      const cleanup = new pg.Client({ connectionString: databaseUrl });
      await cleanup.connect();
      await cleanup.query('select pg_advisory_lock($1)', [SCHEMA_LOCK]);
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end(); // ending the session releases the lock
    },
  };
}

/**
 * Runs a suite on SQLite, and on PostgreSQL when DATABASE_URL is set; otherwise the
 * PostgreSQL suite is reported as skipped, by name.
 */
export function describeEachDatabase(name: string, suite: (t: () => TestContext) => void): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    if (dialect === 'postgres' && !databaseUrl) {
      describe.skip(`${name} [postgres: skipped, DATABASE_URL not set]`, () =>
        suite(() => unreachable()));
      continue;
    }
    describe(`${name} [${dialect}]`, () => {
      let context: (TestContext & { close(): Promise<void> }) | undefined;
      beforeAll(async () => {
        context = await createTestContext(dialect);
      });
      afterAll(async () => {
        await context?.close();
      });
      suite(() => {
        if (!context) throw new Error('test context used before beforeAll');
        return context;
      });
    });
  }
}

function unreachable(): never {
  throw new Error('skipped suite ran');
}
