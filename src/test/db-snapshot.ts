import { type RawBuilder, sql } from 'kysely';
import type { TestContext } from './context.js';

/** Tables whose newest key is compared too: money, orders, tracking, and what reaches them. */
const NEWEST_KEY: Readonly<Record<string, string>> = {
  ledger_transfers: 'id',
  ledger_accounts: 'id',
  withdrawals: 'id',
  payout_batches: 'id',
  orders: 'order_id',
  sub_orders: 'sub_order_id',
  merchant_events: 'id',
  clicks: 'id',
  links: 'id',
  webhooks: 'id',
  postbacks: 'id',
  deliveries: 'id',
  api_keys: 'id',
  api_credentials: 'app_key',
  tracking_ids: 'id',
  bank_accounts: 'id',
  storefronts: 'id',
  setting_changes: 'id',
  commission_rules: 'id',
  enrollments: 'id',
  fx_rates: 'id',
  users: 'id',
  web_sessions: 'id_hash',
};

/** Writes that change rows in place rather than add them: balances, states, revocations. */
const IN_PLACE: Readonly<Record<string, RawBuilder<unknown>>> = {
  balances: sql`select sum(debits_pending) as dp, sum(credits_pending) as cp, sum(debits_posted) as dd, sum(credits_posted) as cd from ledger_balances`,
  withdrawals: sql`select state, count(*) as n from withdrawals group by state order by state`,
  affiliates: sql`select status, count(*) as n from affiliates group by status order by status`,
  bank_accounts: sql`select status, count(replaced_at) as r, count(*) as n from bank_accounts group by status order by status`,
  webhooks: sql`select status, count(*) as n from webhooks group by status order by status`,
  postbacks: sql`select status, count(*) as n from postbacks group by status order by status`,
  sub_orders: sql`select status, count(*) as n from sub_orders group by status order by status`,
  revoked: sql`select (select count(revoked_at) from api_keys) as k, (select count(revoked_at) from api_credentials) as c`,
  storefronts: sql`select max(updated_at) as at from storefronts`,
};

async function tableNames(ctx: TestContext): Promise<string[]> {
  const schema = (ctx as { pgSchema?: string }).pgSchema;
  if (schema) {
    // This schema's tables only: Kysely's introspection reads every schema's catalog, and
    // failed when another test file dropped its schema at that moment.
    const { rows } = await sql<{ name: string }>`select table_name as name
      from information_schema.tables
      where table_schema = ${schema} and table_type = 'BASE TABLE'
        and table_name not like 'kysely%'`.execute(ctx.db);
    return [...new Set(rows.map((r) => r.name))].sort();
  }
  const tables = await ctx.db.introspection.getTables();
  return [...new Set(tables.map((t) => t.name))].sort();
}

/**
 * What a request that writes nothing leaves as it was: the row count of every table, the
 * newest key of the tables money and tracking live in, and the sums and states that are
 * updated in place. Compared before and after a batch of requests.
 */
export async function dbSnapshot(ctx: TestContext): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await tableNames(ctx)) {
    const key = NEWEST_KEY[name];
    const newest = key ? sql`max(${sql.ref(key)})` : sql`null`;
    const { rows } = await sql<{
      n: unknown;
      newest: unknown;
    }>`select count(*) as n, ${newest} as newest from ${sql.table(name)}`.execute(ctx.db);
    out[name] = `${rows[0]?.n} ${rows[0]?.newest ?? ''}`;
  }
  for (const [label, query] of Object.entries(IN_PLACE)) {
    const { rows } = await query.execute(ctx.db);
    out[`~${label}`] = JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
  }
  return out;
}
