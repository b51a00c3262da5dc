import path from 'node:path';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { restoreProductIndexes } from './catalog/product-indexes.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { Config } from './config.js';
import { type Connection, connect } from './db/connection.js';
import { migrateToLatest } from './db/migrate.js';
import type { Database, Db, Dialect } from './db/types.js';
import type { Logger } from './log.js';
import { dataDirSecret } from './security/data-dir-secret.js';
import { SecretBox } from './security/secret-box.js';

/** What every service needs, passed explicitly: no container, no globals. */
export type Ctx = {
  db: Db;
  dialect: Dialect;
  /** Set on SQLite only: the raw handle for bulk writes. */
  sqlite: Connection['sqlite'];
  /** Set for a file-backed SQLite database: writers on other threads open it themselves. */
  sqliteFile: Connection['file'];
  clock: Clock;
  secrets: SecretBox;
  log: Logger;
};

export type AppContext = Ctx & {
  db: Kysely<Database>;
  config: Config;
  close(): Promise<void>;
};

/** Opens the configured database, migrates it, and loads the secret key. */
export async function openContext(
  config: Config,
  log: Logger,
  clock: Clock = systemClock,
): Promise<AppContext> {
  const connection = connect({
    databaseUrl: config.databaseUrl,
    sqliteFile: path.join(config.dataDir, 'affnet.db'),
  });
  try {
    await migrateToLatest(connection.db);
    // A large import that was killed may have left its indexes dropped (catalog/product-indexes.ts).
    await restoreProductIndexes(connection.db);
  } catch (error) {
    await connection.close();
    throw error;
  }
  const key = config.secretKeyBase64
    ? Buffer.from(config.secretKeyBase64, 'base64')
    : dataDirSecret(config.dataDir, 'secret.key', 32);
  return {
    db: connection.db,
    dialect: connection.dialect,
    sqlite: connection.sqlite,
    sqliteFile: connection.file,
    clock,
    secrets: new SecretBox(key),
    log,
    config,
    close: connection.close,
  };
}

/** Runs `work` in one transaction with a context whose db is that transaction. */
export async function inTransaction<C extends { db: Db }, T>(
  ctx: C,
  work: (tx: C) => Promise<T>,
): Promise<T> {
  if (ctx.db.isTransaction) return work(ctx);
  return (ctx.db as Kysely<Database>).transaction().execute((trx) => work({ ...ctx, db: trx }));
}

let savepoints = 0;

/**
 * Runs `work` so that it either all happens or none of it does, inside a transaction that
 * is already open (a savepoint), or in a transaction of its own. For one item of a batch
 * that shares the batch's transaction: a refused item rolls back alone.
 */
export async function inSavepoint<C extends { db: Db }, T>(
  ctx: C,
  work: (tx: C) => Promise<T>,
): Promise<T> {
  if (!ctx.db.isTransaction) return inTransaction(ctx, work);
  savepoints += 1;
  const name = sql.raw(`sp_${savepoints}`);
  await sql`savepoint ${name}`.execute(ctx.db);
  try {
    const result = await work(ctx);
    await sql`release savepoint ${name}`.execute(ctx.db);
    return result;
  } catch (error) {
    await sql`rollback to savepoint ${name}`.execute(ctx.db);
    await sql`release savepoint ${name}`.execute(ctx.db);
    throw error;
  }
}
