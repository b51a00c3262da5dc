import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema it creates
type AnyDb = Kysely<any>;

/**
 * Affiliates' hosted stores (src/storefront/): a public slug, a theme, the tracking id its
 * links carry, its SEO texts and the selection of the catalog it shows (categories,
 * keywords and product ids, each a bounded JSON list).
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('storefronts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('affiliate_id', 'text', (c) => c.notNull().references('affiliates.id'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('theme', 'text', (c) => c.notNull())
    .addColumn('tracking_id', 'text', (c) => c.notNull().references('tracking_ids.id'))
    .addColumn('seo_title', 'text', (c) => c.notNull())
    .addColumn('seo_description', 'text', (c) => c.notNull())
    .addColumn('category_ids_json', 'text', (c) => c.notNull())
    .addColumn('keywords_json', 'text', (c) => c.notNull())
    .addColumn('product_ids_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('storefronts_affiliate')
    .on('storefronts')
    .columns(['affiliate_id', 'created_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('storefronts').execute();
}
