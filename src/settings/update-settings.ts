import type { Ctx } from '../context.js';
import { toDbTime } from '../db/time.js';
import { AppError } from '../errors.js';
import { effectiveFrom } from '../lib/effective-from.js';
import { newId } from '../lib/ids.js';
import { getSettings } from './get-settings.js';
import {
  crossCheck,
  isSettingKey,
  type ProgramSettings,
  settingSchemas,
  settingToJson,
} from './schema.js';

export type SettingsChange = {
  values: Record<string, unknown>;
  /** Defaults to now; a change cannot be dated in the past. */
  effectiveFrom?: Date;
  changedBy?: string;
};

/**
 * Validates and records a change of program settings, effective from a date. Nothing is
 * written unless every key and the combined result are valid.
 */
export async function updateSettings(
  { db, clock }: Pick<Ctx, 'db' | 'clock'>,
  change: SettingsChange,
): Promise<ProgramSettings> {
  const now = clock.now();
  const from = effectiveFrom(change.effectiveFrom, now);
  const entries = Object.entries(change.values);
  if (entries.length === 0) throw new AppError('invalid_setting', 'no settings given');
  const parsed: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    if (!isSettingKey(key)) throw new AppError('invalid_setting', `unknown setting ${key}`);
    const result = settingSchemas[key].safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      throw new AppError('invalid_setting', `${key}${where}: ${issue?.message ?? 'invalid value'}`);
    }
    parsed[key] = result.data;
  }
  const merged = { ...(await getSettings(db, from)), ...parsed } as ProgramSettings;
  const problems = crossCheck(merged);
  if (problems.length > 0) throw new AppError('invalid_setting', problems.join('; '));

  await db
    .insertInto('setting_changes')
    .values(
      Object.entries(parsed).map(([key, value]) => ({
        id: newId('set', clock),
        key,
        value_json: settingToJson(value),
        effective_from: toDbTime(from),
        changed_at: toDbTime(now),
        changed_by: change.changedBy ?? null,
      })),
    )
    .execute();
  return merged;
}
