import type SqliteDatabase from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase } from 'kysely';

const MAX_STATEMENTS = 500;

/**
 * The SQLite handle as Kysely sees it, with prepared statements kept by their SQL text:
 * Kysely prepares every query anew, and preparing cost more than running for the small
 * queries the services make (half of an order event's time). Least recently used first
 * out; a statement still being iterated (a stream) is not shared.
 */
export function withStatementCache(sqlite: SqliteDatabase.Database): KyselySqliteDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      const cached = cache.get(text);
      if (cached && !cached.busy) {
        cache.delete(text); // re-inserted below: the map's order is the eviction order
        cache.set(text, cached);
        return cached;
      }
      const statement = sqlite.prepare(text);
      cache.set(text, statement);
      if (cache.size > MAX_STATEMENTS) cache.delete(cache.keys().next().value as string);
      return statement;
    },
  };
}
