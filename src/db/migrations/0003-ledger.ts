import { type Kysely, SqliteAdapter, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema it creates
type AnyDb = Kysely<any>;

function isSqlite(db: AnyDb): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

const APPEND_ONLY = ['ledger_accounts', 'ledger_transfers'] as const;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('ledger_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ledger_accounts_owner')
    .on('ledger_accounts')
    .columns(['owner_id', 'kind'])
    .execute();

  await db.schema
    .createTable('ledger_transfers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The caller's idempotency key: the same key twice is one transfer.
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('debit_account_id', 'text', (c) => c.notNull().references('ledger_accounts.id'))
    .addColumn('credit_account_id', 'text', (c) => c.notNull().references('ledger_accounts.id'))
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    // A post or void names the pending transfer it resolves; unique, so it resolves once.
    .addColumn('pending_id', 'text', (c) => c.unique().references('ledger_transfers.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('ref', 'text')
    .addColumn('explanation', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ledger_transfers_debit')
    .on('ledger_transfers')
    .column('debit_account_id')
    .execute();
  await db.schema
    .createIndex('ledger_transfers_credit')
    .on('ledger_transfers')
    .column('credit_account_id')
    .execute();
  await db.schema
    .createIndex('ledger_transfers_ref')
    .on('ledger_transfers')
    .columns(['ref', 'code'])
    .execute();

  // Cached balances, kept in the transaction of each transfer; `affnet ledger audit`
  // checks them against the sums derived from the transfers.
  await db.schema
    .createTable('ledger_balances')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('ledger_accounts.id'))
    .addColumn('debits_pending', 'bigint', (c) => c.notNull())
    .addColumn('credits_pending', 'bigint', (c) => c.notNull())
    .addColumn('debits_posted', 'bigint', (c) => c.notNull())
    .addColumn('credits_posted', 'bigint', (c) => c.notNull())
    .execute();

  // Append-only, enforced by the database itself: an update or delete of a ledger row fails.
  for (const table of APPEND_ONLY) {
    if (isSqlite(db)) {
      for (const action of ['update', 'delete']) {
        await sql
          .raw(
            `create trigger ${table}_no_${action} before ${action} on ${table} begin select raise(abort, '${table} is append-only'); end`,
          )
          .execute(db);
      }
    } else {
      await sql
        .raw(
          `create function ${table}_append_only() returns trigger language plpgsql as $$ begin raise exception '${table} is append-only'; end $$`,
        )
        .execute(db);
      await sql
        .raw(
          `create trigger ${table}_append_only before update or delete on ${table} for each row execute function ${table}_append_only()`,
        )
        .execute(db);
    }
  }
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of ['ledger_balances', 'ledger_transfers', 'ledger_accounts']) {
    await db.schema.dropTable(table).execute();
  }
  if (!isSqlite(db)) {
    for (const table of APPEND_ONLY)
      await sql.raw(`drop function if exists ${table}_append_only()`).execute(db);
  }
}
