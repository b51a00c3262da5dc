import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema it creates
type AnyDb = Kysely<any>;

/**
 * The seller center's money. `sub_orders.released_at`: when the seller's share of a settled,
 * attributed sub-order was released to its `seller_payable` account (or found to be
 * nothing); the partial index holds only the sub-orders still waiting for that, so the
 * daily release finds them without reading every settled sub-order ever. Sub-orders
 * settled before this migration are waiting too: the first run releases them.
 * `sub_orders_product_paid`: a seller's reports and order list read its products'
 * sub-orders by payment time.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('sub_orders').addColumn('released_at', 'text').execute();
  await db.schema
    .createIndex('sub_orders_release_due')
    .on('sub_orders')
    .column('sub_order_id')
    .where((eb) =>
      eb.and([
        eb(sql.ref('status'), '=', 'completed_settlement'),
        eb(sql.ref('released_at'), 'is', null),
        eb(sql.ref('affiliate_id'), 'is not', null),
      ]),
    )
    .execute();
  await db.schema
    .createIndex('sub_orders_product_paid')
    .on('sub_orders')
    .columns(['product_id', 'paid_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('sub_orders_product_paid').execute();
  await db.schema.dropIndex('sub_orders_release_due').execute();
  await db.schema.alterTable('sub_orders').dropColumn('released_at').execute();
}
