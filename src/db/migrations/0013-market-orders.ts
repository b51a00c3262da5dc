import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema it creates
type AnyDb = Kysely<any>;

/**
 * The demo market's own orders (src/market/): what a buyer bought, and each event the
 * market sent affnet about it with the exact body, so a retry sends the same bytes. The
 * step is unique per order: two actions taken on one state of an order cannot both land.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('market_orders')
    .addColumn('order_id', 'text', (c) => c.primaryKey())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('buy_key', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('quantity', 'bigint', (c) => c.notNull())
    .addColumn('unit_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('shipping_method', 'text', (c) => c.notNull())
    .addColumn('click_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('market_orders_buy_key', ['buyer_id', 'buy_key'])
    .execute();
  await db.schema
    .createIndex('market_orders_buyer')
    .on('market_orders')
    .columns(['buyer_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('market_order_events')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('market_orders.order_id'))
    .addColumn('step', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('market_order_events_step', ['order_id', 'step'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('market_order_events').execute();
  await db.schema.dropTable('market_orders').execute();
}
