import { toDbTime } from '../db/time.js';
import type { Db } from '../db/types.js';
import { type ProgramSettings, settingKeys, settingSchemas } from './schema.js';

/** The program settings in force at `at`: the latest change of each key, else its default. */
export async function getSettings(db: Db, at: Date): Promise<ProgramSettings> {
  const rows = await db
    .selectFrom('setting_changes')
    .select(['key', 'value_json'])
    .where('effective_from', '<=', toDbTime(at))
    .orderBy('effective_from')
    .orderBy('changed_at')
    .orderBy('id')
    .execute();
  const latest = new Map<string, string>();
  for (const row of rows) latest.set(row.key, row.value_json);

  // Keys no longer in the schema are ignored; keys never set take their default.
  const settings: Record<string, unknown> = {};
  for (const key of settingKeys) {
    const stored = latest.get(key);
    settings[key] = settingSchemas[key].parse(
      stored === undefined ? undefined : JSON.parse(stored),
    );
  }
  return settings as ProgramSettings;
}
