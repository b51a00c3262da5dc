import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema it creates
type AnyDb = Kysely<any>;

/**
 * An affiliate's orders by payment time: order.list's time range and /api/v1/orders'
 * newest-first pages read this index in order instead of sorting all of an affiliate's
 * orders (a big publisher has hundreds of thousands). With the order id in it, and the
 * status beside the order id on sub-orders, counting a day of a big affiliate's orders
 * reads two indexes and no table row: 16 ms → 3 ms for 2,200 of 1,000,000 orders on
 * SQLite. Both replace indexes that are their prefixes.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('orders_affiliate_paid')
    .on('orders')
    .columns(['affiliate_id', 'paid_at', 'order_id'])
    .execute();
  await db.schema.dropIndex('orders_affiliate').execute();
  await db.schema
    .createIndex('sub_orders_order_status')
    .on('sub_orders')
    .columns(['order_id', 'status'])
    .execute();
  await db.schema.dropIndex('sub_orders_order').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.createIndex('sub_orders_order').on('sub_orders').column('order_id').execute();
  await db.schema.dropIndex('sub_orders_order_status').execute();
  await db.schema.createIndex('orders_affiliate').on('orders').column('affiliate_id').execute();
  await db.schema.dropIndex('orders_affiliate_paid').execute();
}
