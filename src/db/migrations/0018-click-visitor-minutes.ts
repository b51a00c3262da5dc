import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema it creates
type AnyDb = Kysely<any>;

/**
 * Clicks per (affiliate, visitor, minute), kept by the click writer in the same transaction
 * as the clicks: the click-flood signal sums a visitor's minutes of the 24 h before a
 * payment (at most 1,441 rows, one index range) instead of walking every click of the
 * affiliate in those 24 h, which grew with the affiliate's traffic until order ingest could
 * not keep up (the soak at 1,000 clicks/s fell behind after two minutes). The cookie-stuffing
 * burst reads a partial index of the clicks without a referrer instead of 0015's index of
 * every click, and stops once its thresholds are reached.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('click_visitor_minutes')
    .addColumn('affiliate_id', 'text', (c) => c.notNull())
    .addColumn('ip_hash', 'text', (c) => c.notNull())
    /** The UTC minute, `YYYY-MM-DDTHH:MM`. */
    .addColumn('minute', 'text', (c) => c.notNull())
    .addColumn('clicks', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('click_visitor_minutes_pk', ['affiliate_id', 'ip_hash', 'minute'])
    .execute();
  // The burst of clicks without a referrer reads such clicks only, from the index alone:
  // a partial index in place of 0015's index of every click.
  await db.schema
    .createIndex('clicks_noref')
    .on('clicks')
    .columns(['affiliate_id', 'clicked_at', 'ip_hash'])
    .where(sql.ref('referrer'), 'is', null)
    .execute();
  await db.schema.dropIndex('clicks_affiliate_time').execute();
  await sql`insert into click_visitor_minutes (affiliate_id, ip_hash, minute, clicks)
    select affiliate_id, ip_hash, substr(clicked_at, 1, 16), count(*) from clicks
    group by affiliate_id, ip_hash, substr(clicked_at, 1, 16)`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('clicks_affiliate_time')
    .on('clicks')
    .columns(['affiliate_id', 'clicked_at', 'ip_hash'])
    .execute();
  await db.schema.dropIndex('clicks_noref').execute();
  await db.schema.dropTable('click_visitor_minutes').execute();
}
