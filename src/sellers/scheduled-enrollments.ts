import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';

export type ScheduledEnrollment = {
  storeId: string;
  scope: 'store' | 'category' | 'product';
  targetId: string | null;
  enrolled: boolean;
  effectiveFrom: string;
};

const MAX_SCHEDULED = 500;

/** The enrollment changes of these stores dated after `at`, soonest first (at most 500). */
export async function scheduledEnrollments(
  db: Db,
  storeIds: readonly string[],
  at: Date,
): Promise<ScheduledEnrollment[]> {
  if (storeIds.length === 0) return [];
  const rows = await db
    .selectFrom('enrollments')
    .select(['store_id', 'scope', 'target_id', 'enrolled', 'effective_from'])
    .where('store_id', 'in', [...storeIds])
    .where('effective_from', '>', toDbTime(at))
    .orderBy('effective_from')
    .orderBy('created_at')
    .orderBy('id')
    .limit(MAX_SCHEDULED)
    .execute();
  return rows.map((r) => ({
    storeId: r.store_id,
    scope: r.scope,
    targetId: r.target_id,
    enrolled: Number(r.enrolled) === 1,
    effectiveFrom: r.effective_from,
  }));
}
