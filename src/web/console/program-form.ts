import { isCurrencyCode } from '../../currencies.js';
import {
  crossCheck,
  type ProgramSettings,
  settingSchemas,
  settingToJson,
  shippingClasses,
} from '../../settings/schema.js';
import { amountText, parseAmount, parsePercent, percentText } from './inputs.js';
import { SETTING_FIELDS, type SettingField } from './program-fields.js';

const LABELS = new Map(SETTING_FIELDS.map((f) => [f.key as string, f.label]));

/** The settings in force as the form's text values. */
export function settingsFormValues(s: ProgramSettings): Record<string, string> {
  const values: Record<string, string> = {};
  for (const { key, kind } of SETTING_FIELDS) {
    const value = s[key] as unknown;
    if (kind === 'percent') values[key] = percentText(value as number);
    else if (kind === 'amount') values[key] = amountText(value as bigint, s.settlementCurrency);
    else if (kind === 'yesno') values[key] = value ? 'yes' : 'no';
    else if (kind === 'codes') values[key] = (value as string[]).join(' ');
    else if (kind === 'domains') values[key] = (value as string[]).join('\n');
    else if (kind === 'classes')
      values[key] = Object.entries(value as Record<string, string>)
        .map(([method, cls]) => `${method}=${cls}`)
        .join('\n');
    else if (kind === 'protection')
      for (const cls of shippingClasses)
        values[`protectionDays_${cls}`] = String((value as Record<string, number>)[cls]);
    else values[key] = String(value);
  }
  return values;
}

type Read = { input: unknown } | { error: string; name?: string };

/** One field's text as the input its setting's schema takes, or why it cannot be. */
function read(field: SettingField, v: Record<string, string>, currency: string): Read {
  const text = (v[field.key] ?? '').trim();
  const words = text.split(/[\s,]+/).filter(Boolean);
  switch (field.kind) {
    case 'percent': {
      const bp = parsePercent(text);
      return bp === undefined || bp > 10_000
        ? { error: 'a percentage from 0 to 100 with at most 2 decimals, e.g. 3.5' }
        : { input: bp };
    }
    case 'int':
      return /^\d{1,7}$/.test(text) ? { input: Number(text) } : { error: 'a whole number' };
    case 'amount': {
      const minor = parseAmount(text, currency);
      return minor === undefined
        ? { error: `an amount in ${currency}, e.g. 16.00` }
        : { input: minor.toString() };
    }
    case 'yesno':
      return text === 'yes' || text === 'no' ? { input: text === 'yes' } : { error: 'yes or no' };
    case 'codes':
      return { input: words.map((w) => w.toUpperCase()) };
    case 'domains':
      return { input: words };
    case 'classes': {
      const record: Record<string, string> = {};
      const lines = text.split(/\r?\n/).map((l) => l.trim());
      for (const [i, line] of lines.entries()) {
        if (!line) continue;
        const match = /^([^=\s]+)\s*=\s*(\S+)$/.exec(line);
        if (!match) return { error: `line ${i + 1}: write METHOD=express, post or seller` };
        record[(match[1] as string).toUpperCase()] = (match[2] as string).toLowerCase();
      }
      return { input: record };
    }
    case 'protection': {
      const days: Record<string, number> = {};
      for (const cls of shippingClasses) {
        const t = (v[`protectionDays_${cls}`] ?? '').trim();
        if (!/^\d{1,4}$/.test(t))
          return { error: 'a whole number of days', name: `protectionDays_${cls}` };
        days[cls] = Number(t);
      }
      return { input: days };
    }
    default:
      return { input: text };
  }
}

/** Zod's words for a number out of range, as a person reads them. */
function plain(message: string): string {
  return message
    .replace(/^Too big: expected number to be <=?(\d+)$/, 'at most $1')
    .replace(/^Too small: expected number to be >=?(\d+)$/, 'at least $1');
}

/**
 * The form checked against every setting's schema and the rules across settings: the
 * changed settings as `updateSettings` takes them, or each field's error. Unchanged
 * settings are left out, so a change dated later records only what the operator edited.
 */
export function readSettingsForm(
  v: Record<string, string>,
  current: ProgramSettings,
): { changed: Record<string, unknown>; errors: Record<string, string> } {
  const typedCurrency = (v.settlementCurrency ?? '').trim().toUpperCase();
  const currency = isCurrencyCode(typedCurrency) ? typedCurrency : current.settlementCurrency;
  const errors: Record<string, string> = {};
  const changed: Record<string, unknown> = {};
  const merged: Record<string, unknown> = { ...current };
  for (const field of SETTING_FIELDS) {
    const got = read(field, v, currency);
    if ('error' in got) {
      errors[got.name ?? field.key] = got.error;
      continue;
    }
    const parsed = settingSchemas[field.key].safeParse(got.input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.map(String) ?? [];
      const message = plain(issue?.message ?? 'not a valid value');
      if (field.kind === 'protection') errors[`protectionDays_${path[0]}`] = message;
      else {
        // A list's bad entry is named by what was typed, not by its index.
        const entry = Array.isArray(got.input) ? got.input[Number(path[0])] : path.join('.');
        errors[field.key] = `${entry ? `${String(entry)}: ` : ''}${message}`;
      }
      continue;
    }
    merged[field.key] = parsed.data;
    if (settingToJson(parsed.data) !== settingToJson(current[field.key]))
      changed[field.key] = got.input;
  }
  if (Object.keys(errors).length > 0) return { changed: {}, errors };
  for (const problem of crossCheck(merged as ProgramSettings)) {
    const key = /^\w+/.exec(problem)?.[0] ?? '_form';
    const readable = problem.replace(/\b[a-z]\w*(Bp|Minor)\b/g, (k) => LABELS.get(k) ?? k);
    errors[LABELS.has(key) ? key : '_form'] ??= readable;
  }
  return Object.keys(errors).length > 0 ? { changed: {}, errors } : { changed, errors };
}
