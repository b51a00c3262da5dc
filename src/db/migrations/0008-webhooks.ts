import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema it creates
type AnyDb = Kysely<any>;

/**
 * Affiliates' webhooks and postbacks, and the outbox of deliveries to them: a delivery is
 * written in the transaction that moved the money, once per event and target, and every
 * attempt to send it is kept.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('affiliate_id', 'text', (c) => c.notNull().references('affiliates.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('consecutive_failures', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .addColumn('disabled_reason', 'text')
    .execute();
  await db.schema
    .createIndex('webhooks_affiliate')
    .on('webhooks')
    .columns(['affiliate_id', 'status'])
    .execute();

  await db.schema
    .createTable('postbacks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('affiliate_id', 'text', (c) => c.notNull().references('affiliates.id'))
    // null: every tracking id of the affiliate.
    .addColumn('tracking_id', 'text', (c) => c.references('tracking_ids.id'))
    .addColumn('url_template', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('consecutive_failures', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .addColumn('disabled_reason', 'text')
    .execute();
  await db.schema
    .createIndex('postbacks_affiliate')
    .on('postbacks')
    .columns(['affiliate_id', 'status'])
    .execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('affiliate_id', 'text', (c) => c.notNull())
    // What the event is about, e.g. order.settled:<sub-order id>.
    .addColumn('event_key', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'bigint', (c) => c.notNull())
    // Set while pending only: the due index holds nothing but work to do.
    .addColumn('next_attempt_at', 'text')
    .addColumn('last_status_code', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .execute();
  // One event is delivered once per target: emitting it again inserts nothing.
  await db.schema
    .createIndex('deliveries_event')
    .on('deliveries')
    .columns(['target_kind', 'target_id', 'event_key'])
    .unique()
    .execute();
  await db.schema
    .createIndex('deliveries_due')
    .on('deliveries')
    .columns(['next_attempt_at'])
    .execute();
  // A target's deliveries, newest first (target ids are unique across kinds).
  await db.schema
    .createIndex('deliveries_target')
    .on('deliveries')
    .columns(['target_id', 'id'])
    .execute();

  await db.schema
    .createTable('delivery_attempts')
    .addColumn('delivery_id', 'text', (c) => c.notNull().references('deliveries.id'))
    .addColumn('attempt', 'bigint', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('status_code', 'bigint')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('delivery_attempts_pk', ['delivery_id', 'attempt'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of ['delivery_attempts', 'deliveries', 'postbacks', 'webhooks'])
    await db.schema.dropTable(table).execute();
}
