import { type Kysely, type Migration, Migrator } from 'kysely';
import * as foundation from './migrations/0001-foundation.js';
import * as tracking from './migrations/0002-tracking.js';
import * as ledger from './migrations/0003-ledger.js';
import * as orders from './migrations/0004-orders.js';
import * as settlementLane from './migrations/0005-settlement-lane.js';
import * as payouts from './migrations/0006-payouts.js';
import * as apiKeys from './migrations/0007-api-keys.js';
import * as webhooks from './migrations/0008-webhooks.js';
import * as orderListing from './migrations/0009-order-listing.js';
import * as operatorTokens from './migrations/0010-operator-tokens.js';
import * as orderRollups from './migrations/0011-order-rollups.js';
import * as webSessions from './migrations/0012-web-sessions.js';
import * as marketOrders from './migrations/0013-market-orders.js';
import * as storefronts from './migrations/0014-storefronts.js';
import * as fraudFlags from './migrations/0015-fraud-flags.js';
import * as webhookSecretRotation from './migrations/0016-webhook-secret-rotation.js';
import * as sellerCenter from './migrations/0017-seller-center.js';
import * as clickVisitorMinutes from './migrations/0018-click-visitor-minutes.js';
import * as sellerMoney from './migrations/0019-seller-money.js';
import type { Database } from './types.js';

// Listed here rather than read from a folder: the build and the tests see the same set.
const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-tracking': tracking,
  '0003-ledger': ledger,
  '0004-orders': orders,
  '0005-settlement-lane': settlementLane,
  '0006-payouts': payouts,
  '0007-api-keys': apiKeys,
  '0008-webhooks': webhooks,
  '0009-order-listing': orderListing,
  '0010-operator-tokens': operatorTokens,
  '0011-order-rollups': orderRollups,
  '0012-web-sessions': webSessions,
  '0013-market-orders': marketOrders,
  '0014-storefronts': storefronts,
  '0015-fraud-flags': fraudFlags,
  '0016-webhook-secret-rotation': webhookSecretRotation,
  '0017-seller-center': sellerCenter,
  '0018-click-visitor-minutes': clickVisitorMinutes,
  '0019-seller-money': sellerMoney,
};

/** Brings the schema to the latest version; safe to run from several processes at once. */
export async function migrateToLatest(
  db: Kysely<Database>,
  options: { schema?: string } = {},
): Promise<string[]> {
  // With a PostgreSQL schema of its own, name it: Kysely otherwise finds the migration
  // tables of another schema and skips creating its own.
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(options.schema ? { migrationTableSchema: options.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
