import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema it creates
type AnyDb = Kysely<any>;

/**
 * Fraud signals (src/fraud/): a flag per signal an order raised at payment, with its
 * reason in words and figures, open until the operator releases it or invalidates the
 * order (a self-purchase is recorded already resolved, by the rule). While a flag is open
 * the order's commission is held: booked as estimated, never settled.
 *
 * And the indexes the signals read at order.paid: an affiliate's clicks by time, with the
 * visitor's hash (click flood, cookie stuffing), and an affiliate's Invalid sub-orders by
 * payment time (the refund rate: partial, a few percent of the sub-orders).
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('order_flags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.order_id'))
    // Null: the flag is on the whole order.
    .addColumn('sub_order_id', 'text')
    .addColumn('affiliate_id', 'text', (c) => c.notNull())
    .addColumn('signal', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('resolution', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolution_note', 'text')
    .execute();
  // Open flags by affiliate (holds, the dashboard's held commission), flags by order (the
  // life cycle, listings); flags newest first read the primary key (ids sort by time).
  await db.schema
    .createIndex('order_flags_open')
    .on('order_flags')
    .columns(['affiliate_id', 'created_at'])
    .where(sql.ref('resolved_at'), 'is', null)
    .execute();
  await db.schema.createIndex('order_flags_order').on('order_flags').column('order_id').execute();

  // One index for both click signals, in time order within each affiliate, so a batch of
  // clicks appends to it. Keyed by visitor first, it made the click writer's SQLite
  // transactions 4 to 5 times slower (random inserts across the whole index); in time
  // order it costs about half the writer's throughput, and a click flood's count reads
  // the affiliate's clicks of the window from the index alone.
  await db.schema
    .createIndex('clicks_affiliate_time')
    .on('clicks')
    .columns(['affiliate_id', 'clicked_at', 'ip_hash'])
    .execute();
  await db.schema
    .createIndex('sub_orders_affiliate_invalid')
    .on('sub_orders')
    .columns(['affiliate_id', 'paid_at'])
    .where(sql.ref('status'), '=', 'invalid')
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const index of ['sub_orders_affiliate_invalid', 'clicks_affiliate_time'])
    await db.schema.dropIndex(index).execute();
  await db.schema.dropTable('order_flags').execute();
}
