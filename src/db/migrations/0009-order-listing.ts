import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema it creates
type AnyDb = Kysely<any>;

/**
 * A sub-order carries its order's affiliate and payment time (both fixed once the order is
 * paid), so an affiliate's order listing reads one index of sub-orders, in payment order,
 * without joining the orders: order.list's time range, its count, and /api/v1/orders'
 * newest-first pages. The status is not in the index: settlement changes a million
 * statuses at a time, and every index holding it is rewritten with it (settlement ran 30%
 * slower with it there). Sub-orders are written as orders are paid, so a day of one
 * affiliate's sub-orders lies in neighbouring table pages when their status is read.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('sub_orders').addColumn('affiliate_id', 'text').execute();
  await db.schema.alterTable('sub_orders').addColumn('paid_at', 'text').execute();
  await sql`update sub_orders set
      affiliate_id = (select o.affiliate_id from orders o where o.order_id = sub_orders.order_id),
      paid_at = (select o.paid_at from orders o where o.order_id = sub_orders.order_id)`.execute(
    db,
  );
  await db.schema
    .createIndex('sub_orders_affiliate_paid')
    .on('sub_orders')
    .columns(['affiliate_id', 'paid_at', 'sub_order_id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('sub_orders_affiliate_paid').execute();
  await db.schema.alterTable('sub_orders').dropColumn('paid_at').execute();
  await db.schema.alterTable('sub_orders').dropColumn('affiliate_id').execute();
}
