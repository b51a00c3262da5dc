import type { Kysely } from 'kysely';

// Migrations see the database as untyped: they describe the schema, they do not use it.
// biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema it creates
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('setting_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value_json', 'text', (c) => c.notNull())
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'text')
    .execute();
  await db.schema
    .createIndex('setting_changes_key')
    .on('setting_changes')
    .columns(['key', 'effective_from'])
    .execute();

  await db.schema
    .createTable('sellers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('stores')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('seller_id', 'text', (c) => c.notNull().references('sellers.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stores_seller').on('stores').column('seller_id').execute();

  await db.schema
    .createTable('categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('parent_id', 'text', (c) => c.references('categories.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('level', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('categories_parent').on('categories').column('parent_id').execute();

  await db.schema
    .createTable('products')
    .addColumn('product_id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references('stores.id'))
    .addColumn('category_id', 'text', (c) => c.notNull().references('categories.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('price_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('image_urls_json', 'text', (c) => c.notNull())
    .addColumn('sales_volume', 'bigint', (c) => c.notNull())
    .addColumn('positive_feedback_bp', 'bigint')
    .addColumn('ship_from', 'text')
    .addColumn('shipping_methods_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('products_store').on('products').column('store_id').execute();
  await db.schema.createIndex('products_category').on('products').column('category_id').execute();

  await db.schema
    .createTable('commission_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.references('stores.id'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('rate_bp', 'bigint')
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();
  await db.schema
    .createIndex('commission_rules_lookup')
    .on('commission_rules')
    .columns(['store_id', 'scope', 'target_id', 'effective_from'])
    .execute();

  await db.schema
    .createTable('enrollments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references('stores.id'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('enrolled', 'bigint', (c) => c.notNull())
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();
  await db.schema
    .createIndex('enrollments_lookup')
    .on('enrollments')
    .columns(['store_id', 'effective_from'])
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('affiliates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().unique().references('users.id'))
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('website_url', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('status_changed_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tracking_ids')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('affiliate_id', 'text', (c) => c.notNull().references('affiliates.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('tracking_ids_affiliate_name', ['affiliate_id', 'name'])
    .execute();

  await db.schema
    .createTable('api_credentials')
    .addColumn('app_key', 'text', (c) => c.primaryKey())
    .addColumn('affiliate_id', 'text', (c) => c.notNull().references('affiliates.id'))
    .addColumn('app_secret_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('api_credentials_affiliate')
    .on('api_credentials')
    .column('affiliate_id')
    .execute();

  await db.schema
    .createTable('bank_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('affiliate_id', 'text', (c) => c.notNull().references('affiliates.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('holder_name', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('account_enc', 'text', (c) => c.notNull())
    .addColumn('account_masked', 'text', (c) => c.notNull())
    .addColumn('bic', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('replaced_at', 'text')
    .execute();
  await db.schema
    .createIndex('bank_accounts_affiliate')
    .on('bank_accounts')
    .column('affiliate_id')
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'bank_accounts',
    'api_credentials',
    'tracking_ids',
    'affiliates',
    'users',
    'enrollments',
    'commission_rules',
    'products',
    'categories',
    'stores',
    'sellers',
    'setting_changes',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
