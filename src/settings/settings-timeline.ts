import type { Db } from '../db/types.js';
import { type ProgramSettings, settingKeys, settingSchemas } from './schema.js';

/**
 * Every settings change loaded once, answering "the settings in force at t" from memory:
 * for batch work (settling many orders) that would otherwise query and parse the settings
 * for each one. The same rule as getSettings: the latest change of each key at or before
 * t (ties by change time, then id), else the default.
 */
export async function loadSettingsTimeline(db: Db): Promise<{ at(at: Date): ProgramSettings }> {
  const rows = await db
    .selectFrom('setting_changes')
    .select(['key', 'value_json', 'effective_from'])
    .orderBy('effective_from')
    .orderBy('changed_at')
    .orderBy('id')
    .execute();
  const memo = new Map<number, ProgramSettings>();
  return {
    at(at: Date): ProgramSettings {
      const iso = at.toISOString();
      // How many changes are in force: the first index whose change is later than `at`.
      let low = 0;
      let high = rows.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if ((rows[mid]?.effective_from as string) <= iso) low = mid + 1;
        else high = mid;
      }
      let settings = memo.get(low);
      if (!settings) {
        const latest = new Map<string, string>();
        for (const row of rows.slice(0, low)) latest.set(row.key, row.value_json);
        const values: Record<string, unknown> = {};
        for (const key of settingKeys) {
          const stored = latest.get(key);
          values[key] = settingSchemas[key].parse(
            stored === undefined ? undefined : JSON.parse(stored),
          );
        }
        settings = values as ProgramSettings;
        memo.set(low, settings);
      }
      return settings;
    },
  };
}
