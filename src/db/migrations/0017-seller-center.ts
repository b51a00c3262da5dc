import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema it creates
type AnyDb = Kysely<any>;

/**
 * The seller center: a seller gets a login (`sellers.user_id`, a user of role `seller`),
 * reached through an invitation the operator sends (only the token's SHA-256 is kept), and
 * REST API keys of its own (`seller_api_keys`: a seller's key reaches only its stores).
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('sellers')
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('sellers_user').on('sellers').column('user_id').unique().execute();
  await db.schema
    .createTable('seller_invites')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('seller_id', 'text', (c) => c.notNull().references('sellers.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema
    .createIndex('seller_invites_seller')
    .on('seller_invites')
    .column('seller_id')
    .execute();
  await db.schema
    .createTable('seller_api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('seller_id', 'text', (c) => c.notNull().references('sellers.id'))
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('seller_api_keys_seller')
    .on('seller_api_keys')
    .column('seller_id')
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('seller_api_keys').execute();
  await db.schema.dropTable('seller_invites').execute();
  await db.schema.dropIndex('sellers_user').execute();
  await db.schema.alterTable('sellers').dropColumn('user_id').execute();
}
