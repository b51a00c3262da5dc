import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { AppError } from '../errors.js';
import {
  type Affiliate,
  type AffiliateStatus,
  affiliateStatuses as affiliateStatusList,
} from './schema.js';

function selectAffiliates(db: Db) {
  return db
    .selectFrom('affiliates')
    .innerJoin('users', 'users.id', 'affiliates.user_id')
    .select([
      'affiliates.id',
      'affiliates.user_id',
      'users.email',
      'affiliates.country',
      'affiliates.website_url',
      'affiliates.status',
      'affiliates.status_reason',
      'affiliates.created_at',
    ]);
}

function toAffiliate(
  row: Awaited<ReturnType<ReturnType<typeof selectAffiliates>['execute']>>[number],
): Affiliate {
  return {
    id: row.id,
    userId: row.user_id,
    email: row.email,
    country: row.country,
    websiteUrl: row.website_url,
    status: row.status,
    statusReason: row.status_reason,
    createdAt: row.created_at,
  };
}

export async function findAffiliate(db: Db, affiliateId: string): Promise<Affiliate | undefined> {
  const row = await selectAffiliates(db)
    .where('affiliates.id', '=', affiliateId)
    .executeTakeFirst();
  return row ? toAffiliate(row) : undefined;
}

/** The status of each of these affiliates that exists, by id. */
export async function affiliateStatuses(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('affiliates')
    .select(['id', 'status'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.status]));
}

export async function getAffiliate(db: Db, affiliateId: string): Promise<Affiliate> {
  const affiliate = await findAffiliate(db, affiliateId);
  if (!affiliate) throw new AppError('affiliate_not_found', `no affiliate ${affiliateId}`);
  return affiliate;
}

/** The email address of each of these affiliates, by id. */
export async function affiliateEmails(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('affiliates')
    .innerJoin('users', 'users.id', 'affiliates.user_id')
    .select(['affiliates.id', 'users.email'])
    .where('affiliates.id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.email]));
}

/**
 * Affiliates in id order after `after`, optionally of one status and with `email` in their
 * email address (case-insensitive, matched as plain text): the operator's list.
 */
export async function listAffiliates(
  db: Db,
  page: {
    status?: Affiliate['status'] | undefined;
    email?: string | undefined;
    after?: string | undefined;
    limit: number;
  },
): Promise<Affiliate[]> {
  // Emails are stored lower-case; % and _ typed by the operator are letters, not wildcards.
  const pattern = page.email
    ? `%${page.email.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    : undefined;
  const rows = await selectAffiliates(db)
    .$if(page.status !== undefined, (q) =>
      q.where('affiliates.status', '=', page.status as Affiliate['status']),
    )
    .$if(pattern !== undefined, (q) =>
      q.where(sql<boolean>`${sql.ref('users.email')} like ${pattern} escape '\\'`),
    )
    .$if(page.after !== undefined, (q) => q.where('affiliates.id', '>', page.after as string))
    .orderBy('affiliates.id')
    .limit(Math.min(Math.max(page.limit, 1), 200))
    .execute();
  return rows.map(toAffiliate);
}

/** How many affiliates there are of each status (every status, zero included). */
export async function countAffiliatesByStatus(db: Db): Promise<Record<AffiliateStatus, number>> {
  const rows = await db
    .selectFrom('affiliates')
    .select((eb) => ['status', eb.fn.countAll<string>().as('n')])
    .groupBy('status')
    .execute();
  const counts = Object.fromEntries(affiliateStatusList.map((s) => [s, 0])) as Record<
    AffiliateStatus,
    number
  >;
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}

/** The affiliate a login belongs to, if it is an affiliate's. */
export async function affiliateIdOfUser(db: Db, userId: string): Promise<string | null> {
  const row = await db
    .selectFrom('affiliates')
    .select('id')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.id ?? null;
}
