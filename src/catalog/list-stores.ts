import { sql } from 'kysely';
import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';
import type { EnrollmentScope, RuleScope } from './schema.js';

export type StoreRow = {
  storeId: string;
  storeName: string;
  sellerId: string;
  sellerName: string;
  sellerEmail: string | null;
  createdAt: string;
};

export const MAX_STORE_PAGE = 200;

function selectStores(db: Db) {
  return db
    .selectFrom('stores')
    .innerJoin('sellers', 'sellers.id', 'stores.seller_id')
    .select([
      'stores.id as store_id',
      'stores.name as store_name',
      'sellers.id as seller_id',
      'sellers.name as seller_name',
      'sellers.email as seller_email',
      'stores.created_at',
    ]);
}

function toStore(r: Awaited<ReturnType<ReturnType<typeof selectStores>['execute']>>[number]) {
  return {
    storeId: r.store_id,
    storeName: r.store_name,
    sellerId: r.seller_id,
    sellerName: r.seller_name,
    sellerEmail: r.seller_email,
    createdAt: r.created_at,
  };
}

/**
 * Stores with their sellers in store id order after `after`; `search` matches the store's
 * id or name or the seller's name (case-insensitive, as plain text).
 */
export async function listStores(
  db: Db,
  page: { search?: string | undefined; after?: string | undefined; limit: number },
): Promise<StoreRow[]> {
  const pattern = page.search
    ? `%${page.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    : undefined;
  const rows = await selectStores(db)
    .$if(pattern !== undefined, (q) =>
      q.where((eb) =>
        eb.or(
          ['stores.id', 'stores.name', 'sellers.name'].map(
            (column) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`,
          ),
        ),
      ),
    )
    .$if(page.after !== undefined, (q) => q.where('stores.id', '>', page.after as string))
    .orderBy('stores.id')
    .limit(Math.min(Math.max(page.limit, 1), MAX_STORE_PAGE))
    .execute();
  return rows.map(toStore);
}

export async function findStore(db: Db, storeId: string): Promise<StoreRow | undefined> {
  const row = await selectStores(db).where('stores.id', '=', storeId).executeTakeFirst();
  return row ? toStore(row) : undefined;
}

export type PlanRule = {
  id: string;
  scope: RuleScope;
  targetId: string | null;
  rateBp: number;
  effectiveFrom: string;
};
export type PlanEnrollment = {
  scope: EnrollmentScope;
  targetId: string | null;
  enrolled: boolean;
  effectiveFrom: string;
};
export type StorePlan = {
  /** The rules in force at the time asked about: the newest change per scope and target. */
  rules: PlanRule[];
  enrollments: PlanEnrollment[];
  /** Changes dated after that time, oldest first (a null rate removes a rule). */
  scheduled: (Omit<PlanRule, 'rateBp'> & { rateBp: number | null })[];
  /** More changes than one read takes: the lists may miss rules set long ago. */
  truncated: boolean;
};

const MAX_PLAN_ROWS = 5000;

/**
 * The commission plan of each of these stores at `at`: its rules (store default, category,
 * product and hot-product rates; removed rules left out), its enrollments, and the changes
 * scheduled after `at`. Changes are read newest first, at most MAX_PLAN_ROWS of each kind:
 * past that the plan says `truncated`, and what it lists is still each key's newest change.
 */
export async function storePlans(
  db: Db,
  storeIds: readonly string[],
  at: Date,
): Promise<Map<string, StorePlan>> {
  const plans = new Map<string, StorePlan>(
    storeIds.map((id) => [id, { rules: [], enrollments: [], scheduled: [], truncated: false }]),
  );
  if (storeIds.length === 0) return plans;
  const ids = [...new Set(storeIds)];
  const now = toDbTime(at);
  const rules = await db
    .selectFrom('commission_rules')
    .select(['id', 'store_id', 'scope', 'target_id', 'rate_bp', 'effective_from'])
    .where('store_id', 'in', ids)
    .orderBy('effective_from', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(MAX_PLAN_ROWS + 1)
    .execute();
  const enrollments = await db
    .selectFrom('enrollments')
    .select(['store_id', 'scope', 'target_id', 'enrolled', 'effective_from'])
    .where('store_id', 'in', ids)
    .where('effective_from', '<=', now)
    .orderBy('effective_from', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(MAX_PLAN_ROWS + 1)
    .execute();
  const truncated = rules.length > MAX_PLAN_ROWS || enrollments.length > MAX_PLAN_ROWS;
  const seen = new Set<string>();
  for (const rule of rules.slice(0, MAX_PLAN_ROWS).reverse()) {
    if (rule.effective_from > now)
      plans.get(rule.store_id as string)?.scheduled.push({
        id: rule.id,
        scope: rule.scope,
        targetId: rule.target_id,
        rateBp: rule.rate_bp === null ? null : Number(rule.rate_bp),
        effectiveFrom: rule.effective_from,
      });
  }
  for (const rule of rules.slice(0, MAX_PLAN_ROWS)) {
    const key = `${rule.store_id} ${rule.scope} ${rule.target_id ?? ''}`;
    if (rule.effective_from > now || seen.has(key)) continue;
    seen.add(key);
    if (rule.rate_bp !== null)
      plans.get(rule.store_id as string)?.rules.push({
        id: rule.id,
        scope: rule.scope,
        targetId: rule.target_id,
        rateBp: Number(rule.rate_bp),
        effectiveFrom: rule.effective_from,
      });
  }
  seen.clear();
  for (const e of enrollments.slice(0, MAX_PLAN_ROWS)) {
    const key = `${e.store_id} ${e.scope} ${e.target_id ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    plans.get(e.store_id)?.enrollments.push({
      scope: e.scope,
      targetId: e.target_id,
      enrolled: e.enrolled === 1n,
      effectiveFrom: e.effective_from,
    });
  }
  for (const plan of plans.values()) {
    plan.truncated = truncated;
    plan.rules.sort(byScopeAndTarget);
    plan.enrollments.sort(byScopeAndTarget);
  }
  return plans;
}

const SCOPE_ORDER = ['store', 'category', 'product', 'hot_product', 'program_category'];

function byScopeAndTarget(
  a: { scope: string; targetId: string | null },
  b: { scope: string; targetId: string | null },
): number {
  return (
    SCOPE_ORDER.indexOf(a.scope) - SCOPE_ORDER.indexOf(b.scope) ||
    (a.targetId ?? '').localeCompare(b.targetId ?? '')
  );
}
