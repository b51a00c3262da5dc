import { type CreateTableBuilder, type Kysely, SqliteAdapter, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema it creates
type AnyDb = Kysely<any>;

function isSqlite(db: AnyDb): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

const COUNTERS = [
  'leads',
  'approved_leads',
  'invalid_leads',
  'estimated_minor',
  'settled_minor',
  'clawed_back_minor',
] as const;
const PRODUCT_COUNTERS = ['leads', 'estimated_minor'] as const;

/**
 * Order rollups, kept in the transaction of every change of a sub-order's state, so that
 * reports never read sub-orders: per affiliate, UTC day of payment, tracking id and
 * settlement currency (`order_daily`); the same by sub1 ('' when none, `order_daily_sub`:
 * the totals stay a few rows a day however many sub1 values an affiliate uses); and per
 * product (`order_daily_product`).
 * The settlement currency is in every key: the program may change it, and amounts in two
 * currencies never add up. An order carries its click's sub1, so that no change of a
 * sub-order has to read the click again.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('orders').addColumn('sub1', 'text').execute();
  await sql`update orders set sub1 = (select c.sub1 from clicks c where c.id = lower(orders.click_id))
    where affiliate_id is not null and click_id is not null`.execute(db);

  // Keys in the order reports read them: an affiliate's days (or months), then the rest.
  const tables = [
    ['order_daily', ['affiliate_id', 'day', 'tracking_id', 'currency'], COUNTERS],
    ['order_daily_sub', ['affiliate_id', 'day', 'tracking_id', 'sub1', 'currency'], COUNTERS],
    ['order_daily_product', ['affiliate_id', 'day', 'currency', 'product_id'], PRODUCT_COUNTERS],
  ] as const;
  for (const [table, key, counters] of tables) {
    let builder: CreateTableBuilder<string, string> = db.schema.createTable(table);
    for (const column of key) builder = builder.addColumn(column, 'text', (c) => c.notNull());
    for (const column of counters)
      builder = builder.addColumn(column, 'bigint', (c) => c.notNull());
    // Read as ranges of the key (an affiliate's days): on SQLite the table is that B-tree.
    await builder
      .addPrimaryKeyConstraint(`${table}_pk`, [...key])
      .$call((t) => (isSqlite(db) ? t.modifyEnd(sql`without rowid`) : t))
      .execute();
  }

  // What is there already: sub-orders of attributed orders, and clawbacks booked for them.
  const source = sql`from sub_orders s
    join orders o on o.order_id = s.order_id
    left join (select ref, sum(amount_minor) as amount from ledger_transfers
      where code = 'clawback' group by ref) c on c.ref = s.sub_order_id
    where s.affiliate_id is not null`;
  const sums = sql`count(*),
    sum(case when s.status = 'completed_settlement' then 1 else 0 end),
    sum(case when s.status = 'invalid' then 1 else 0 end),
    sum(case when s.status <> 'invalid' then s.commission_settlement_minor else 0 end),
    sum(case when s.status = 'completed_settlement' then coalesce(s.settled_minor, 0) else 0 end),
    sum(coalesce(c.amount, 0))`;
  const productSums = sql`count(*),
    sum(case when s.status <> 'invalid' then s.commission_settlement_minor else 0 end)`;
  const day = sql`substr(s.paid_at, 1, 10)`;
  const tracking = sql`coalesce(o.tracking_id, '')`;
  await sql`insert into order_daily (affiliate_id, day, tracking_id, currency, ${sql.raw(COUNTERS.join(', '))})
    select s.affiliate_id, ${day}, ${tracking}, s.settlement_currency, ${sums} ${source}
    group by s.affiliate_id, ${day}, ${tracking}, s.settlement_currency`.execute(db);
  await sql`insert into order_daily_sub (affiliate_id, day, tracking_id, sub1, currency, ${sql.raw(COUNTERS.join(', '))})
    select s.affiliate_id, ${day}, ${tracking}, coalesce(o.sub1, ''), s.settlement_currency, ${sums} ${source}
    group by s.affiliate_id, ${day}, ${tracking}, coalesce(o.sub1, ''), s.settlement_currency`.execute(
    db,
  );
  await sql`insert into order_daily_product (affiliate_id, day, product_id, currency, leads, estimated_minor)
    select s.affiliate_id, ${day}, s.product_id, s.settlement_currency, ${productSums} ${source}
    group by s.affiliate_id, ${day}, s.product_id, s.settlement_currency`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of ['order_daily_product', 'order_daily_sub', 'order_daily'])
    await db.schema.dropTable(table).execute();
  await db.schema.alterTable('orders').dropColumn('sub1').execute();
}
