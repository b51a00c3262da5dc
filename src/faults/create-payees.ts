import type { AppContext } from '../context.js';
import { inTransaction } from '../context.js';
import { type BulkSpec, bulkUpsert, MAX_BULK_ROWS } from '../db/bulk-upsert.js';
import { toDbTime } from '../db/time.js';
import { ulid } from '../lib/ulid.js';
import { createLinks } from '../tracking/create-links.js';

export type Payee = { affiliateId: string; linkCode: string };

const IBAN = 'DE89370400440532013000';
const LINKS_PER_TRANSACTION = 500;

const text = (name: string) => ({ name, type: 'text' as const });
const spec = (table: string, columns: string[]): BulkSpec => ({
  table,
  columns: columns.map(text),
  conflict: 'fail',
  update: 'nothing',
});
const users = spec('users', ['id', 'email', 'password_hash', 'role', 'created_at']);
const affiliates = spec('affiliates', [
  'id',
  'user_id',
  'country',
  'website_url',
  'status',
  'status_reason',
  'created_at',
  'status_changed_at',
]);
const trackingIds = spec('tracking_ids', ['id', 'affiliate_id', 'name', 'created_at']);
const banks = spec('bank_accounts', [
  'id',
  'affiliate_id',
  'kind',
  'holder_name',
  'country',
  'account_enc',
  'account_masked',
  'status',
  'created_at',
]);

/**
 * `count` approved affiliates a payout run pays (auto-withdraw on, the default; an active
 * IBAN), each with its `default` tracking id and one link to `productUrl`. Accounts, tracking
 * ids and bank accounts are written directly, as bench:payouts does (sign-up hashes a
 * password per affiliate, which would take longer than the faults themselves); the links
 * through `createLinks`, as the portal makes them.
 */
export async function createPayees(
  ctx: AppContext,
  count: number,
  productUrl: string,
): Promise<Payee[]> {
  const at = toDbTime(ctx.clock.now());
  const sealed = ctx.secrets.seal(IBAN);
  const ids: string[] = [];
  for (let start = 0; start < count; start += MAX_BULK_ROWS) {
    const page = Array.from({ length: Math.min(MAX_BULK_ROWS, count - start) }, () =>
      ulid(ctx.clock.now().getTime()),
    );
    await inTransaction(ctx, async (tx) => {
      await bulkUpsert(
        tx,
        users,
        page.map((id) => [`usr_${id}`, `${id}@faults.example`, null, 'affiliate', at]),
      );
      await bulkUpsert(
        tx,
        affiliates,
        page.map((id) => [
          `aff_${id}`,
          `usr_${id}`,
          'DE',
          'https://faults.example',
          'approved',
          'approved at creation',
          at,
          at,
        ]),
      );
      await bulkUpsert(
        tx,
        trackingIds,
        page.map((id) => [`trk_${id}`, `aff_${id}`, 'default', at]),
      );
      await bulkUpsert(
        tx,
        banks,
        page.map((id, i) => [
          `bank_${id}`,
          `aff_${id}`,
          'iban',
          `Faults Payee ${start + i}`,
          'DE',
          sealed,
          'DE89 **** 3000',
          'active',
          at,
        ]),
      );
    });
    ids.push(...page.map((id) => `aff_${id}`));
  }
  const payees: Payee[] = [];
  for (let start = 0; start < ids.length; start += LINKS_PER_TRANSACTION) {
    await inTransaction(ctx, async (tx) => {
      for (const affiliateId of ids.slice(start, start + LINKS_PER_TRANSACTION)) {
        const [link] = await createLinks(
          tx,
          { affiliateId, urls: [productUrl] },
          'http://faults.invalid',
        );
        if (!link) throw new Error(`no link for ${affiliateId}`);
        payees.push({ affiliateId, linkCode: link.code });
      }
    });
  }
  return payees;
}
