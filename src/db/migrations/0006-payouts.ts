import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema it creates
type AnyDb = Kysely<any>;

/**
 * Withdrawals and what moves them: bank batches, the bank's results, the monthly payout
 * runs, and the outbox of emails that tell affiliates about each step. A flagged bank
 * account carries the bank's reason; the affiliate chooses whether monthly runs pay out.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('affiliates')
    .addColumn('auto_withdraw', 'bigint', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('bank_accounts').addColumn('flagged_at', 'text').execute();
  await db.schema.alterTable('bank_accounts').addColumn('flag_reason', 'text').execute();

  await db.schema
    .createTable('payout_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rail', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('transfers', 'bigint', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('withdrawals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('affiliate_id', 'text', (c) => c.notNull().references('affiliates.id'))
    .addColumn('bank_account_id', 'text', (c) => c.notNull().references('bank_accounts.id'))
    .addColumn('rail', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('fee_minor', 'bigint', (c) => c.notNull())
    .addColumn('net_minor', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('period', 'text')
    .addColumn('batch_id', 'text', (c) => c.references('payout_batches.id'))
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('exported_at', 'text')
    .addColumn('succeeded_at', 'text')
    .addColumn('failed_at', 'text')
    .addColumn('reason_code', 'text')
    .addColumn('reason_text', 'text')
    .addColumn('bank_date', 'text')
    .execute();
  // A repeated request is the first one; a payout run pays an affiliate once per period.
  await db.schema
    .createIndex('withdrawals_idempotency')
    .on('withdrawals')
    .columns(['affiliate_id', 'idempotency_key'])
    .unique()
    .execute();
  await db.schema
    .createIndex('withdrawals_period')
    .on('withdrawals')
    .columns(['affiliate_id', 'period'])
    .unique()
    .execute();
  await db.schema
    .createIndex('withdrawals_export')
    .on('withdrawals')
    .columns(['rail', 'state', 'batch_id'])
    .execute();
  await db.schema.createIndex('withdrawals_batch').on('withdrawals').column('batch_id').execute();

  // Every result line applied, once: importing the same file again changes nothing.
  await db.schema
    .createTable('payout_results')
    .addColumn('withdrawal_id', 'text', (c) => c.notNull().references('withdrawals.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason_code', 'text')
    .addColumn('reason_text', 'text')
    .addColumn('bank_date', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('payout_results_pk', ['withdrawal_id', 'status'])
    .execute();

  await db.schema
    .createTable('payout_runs')
    .addColumn('period', 'text', (c) => c.primaryKey())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('withdrawals', 'bigint', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('email_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // What the email is about, e.g. withdrawal_failed:wd_…: the same event emails once.
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('attempts', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .execute();
  await db.schema
    .createIndex('email_outbox_unsent')
    .on('email_outbox')
    .columns(['sent_at', 'created_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'email_outbox',
    'payout_runs',
    'payout_results',
    'withdrawals',
    'payout_batches',
  ])
    await db.schema.dropTable(table).execute();
  await db.schema.alterTable('bank_accounts').dropColumn('flag_reason').execute();
  await db.schema.alterTable('bank_accounts').dropColumn('flagged_at').execute();
  await db.schema.alterTable('affiliates').dropColumn('auto_withdraw').execute();
}
