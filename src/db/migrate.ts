import { type Kysely, type Migration, Migrator } from 'kysely';
import * as foundation from './migrations/0001-foundation.js';
import type { Database } from './types.js';

// Listed here rather than read from a folder: the build and the tests see the same set.
const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
};

/** Brings the schema to the latest version; safe to run from several processes at once. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
