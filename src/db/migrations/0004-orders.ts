import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema it creates
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  // Exchange rates into the settlement currency, as facts in time: the rate at a moment is
  // the latest one effective at or before it. Appended, never changed.
  await db.schema
    .createTable('fx_rates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('to_currency', 'text', (c) => c.notNull())
    .addColumn('rate', 'text', (c) => c.notNull())
    .addColumn('effective_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('fx_rates_lookup')
    .on('fx_rates')
    .columns(['currency', 'to_currency', 'effective_at'])
    .execute();

  // Every accepted merchant event, by the marketplace's id: a replay returns `result`.
  await db.schema
    .createTable('merchant_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    // The event's data as received: an order's state is derived from all of its events,
    // ordered by business time, so the order they arrived in does not matter.
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('merchant_events_order')
    .on('merchant_events')
    .column('order_id')
    .execute();

  await db.schema
    .createTable('orders')
    .addColumn('order_id', 'text', (c) => c.primaryKey())
    .addColumn('buyer_id', 'text', (c) => c.notNull())
    .addColumn('is_new_buyer', 'bigint', (c) => c.notNull())
    .addColumn('ship_to_country', 'text')
    .addColumn('shipping_method', 'text')
    .addColumn('click_id', 'text')
    .addColumn('affiliate_id', 'text')
    .addColumn('tracking_id', 'text')
    .addColumn('attribution', 'text', (c) => c.notNull())
    .addColumn('paid_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('orders_affiliate').on('orders').column('affiliate_id').execute();

  await db.schema
    .createTable('sub_orders')
    .addColumn('sub_order_id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.order_id'))
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'bigint', (c) => c.notNull())
    .addColumn('unit_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('paid_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('rate_bp', 'bigint', (c) => c.notNull())
    .addColumn('commission_minor', 'bigint', (c) => c.notNull())
    .addColumn('settlement_currency', 'text', (c) => c.notNull())
    .addColumn('fx_rate', 'text')
    .addColumn('commission_settlement_minor', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('invalid_reason', 'text')
    .addColumn('confirmed_at', 'text')
    // When a job should look at it again (end of protection, settlement, expiry); null when final.
    .addColumn('due_at', 'text')
    .addColumn('settled_at', 'text')
    .addColumn('settled_minor', 'bigint')
    .addColumn('explanation', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sub_orders_order').on('sub_orders').column('order_id').execute();
  await db.schema.createIndex('sub_orders_due').on('sub_orders').column('due_at').execute();

  // Marketplace buyer accounts that belong to an affiliate: their orders are self-purchases.
  await db.schema
    .createTable('affiliate_buyers')
    .addColumn('buyer_id', 'text', (c) => c.primaryKey())
    .addColumn('affiliate_id', 'text', (c) => c.notNull().references('affiliates.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of ['affiliate_buyers', 'sub_orders', 'orders', 'merchant_events', 'fx_rates'])
    await db.schema.dropTable(table).execute();
}
