import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema it creates
type AnyDb = Kysely<any>;

/**
 * Settlement's fast lane asks, per due sub-order, whether its order has seen a refund,
 * dispute or cancellation: an index on (order_id, type) answers from the index alone.
 * It serves the lookups by order_id that the old index did. The due index keeps only
 * sub-orders that are due at all: a settled or invalid one (due_at null) leaves it
 * instead of moving to a null entry, and the index stays the size of the work ahead.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('sub_orders_due').execute();
  await db.schema
    .createIndex('sub_orders_due')
    .on('sub_orders')
    .column('due_at')
    .where(sql.ref('due_at'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('merchant_events_order_type')
    .on('merchant_events')
    .columns(['order_id', 'type'])
    .execute();
  await db.schema.dropIndex('merchant_events_order').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('sub_orders_due').execute();
  await db.schema.createIndex('sub_orders_due').on('sub_orders').column('due_at').execute();
  await db.schema
    .createIndex('merchant_events_order')
    .on('merchant_events')
    .column('order_id')
    .execute();
  await db.schema.dropIndex('merchant_events_order_type').execute();
}
