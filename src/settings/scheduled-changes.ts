import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';

export type ScheduledChange = {
  key: string;
  /** The value as stored: JSON, amounts as decimal strings of minor units. */
  valueJson: string;
  effectiveFrom: string;
  changedBy: string | null;
};

/** Settings changes recorded to take effect after `at`, soonest first (at most 100). */
export async function scheduledSettingChanges(db: Db, at: Date): Promise<ScheduledChange[]> {
  const rows = await db
    .selectFrom('setting_changes')
    .select(['key', 'value_json', 'effective_from', 'changed_by'])
    .where('effective_from', '>', toDbTime(at))
    .orderBy('effective_from')
    .orderBy('changed_at')
    .orderBy('id')
    .limit(100)
    .execute();
  return rows.map((r) => ({
    key: r.key,
    valueJson: r.value_json,
    effectiveFrom: r.effective_from,
    changedBy: r.changed_by,
  }));
}
