import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema it creates
type AnyDb = Kysely<any>;

/**
 * A webhook's secret can be rotated: the one it replaces keeps signing beside the new one
 * (a second v1 in Affnet-Signature) until `previous_until`, so the receiver can switch over.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('webhooks').addColumn('previous_secret_enc', 'text').execute();
  await db.schema.alterTable('webhooks').addColumn('previous_until', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('webhooks').dropColumn('previous_until').execute();
  await db.schema.alterTable('webhooks').dropColumn('previous_secret_enc').execute();
}
