import type { Command } from 'commander';
import { getSettings } from '../../settings/get-settings.js';
import { settingToJson } from '../../settings/schema.js';
import { updateSettings } from '../../settings/update-settings.js';
import { EXIT_CONFIG, fail, parseDateOption, withContext } from '../run.js';

export function registerSettingsCommands(program: Command): void {
  const settings = program.command('settings').description('program settings');

  settings
    .command('show')
    .description('the settings in force (JSON)')
    .option('--at <iso>', 'as they were or will be at this time')
    .action((o: { at?: string }) =>
      withContext(async (ctx) => {
        const at = o.at ? parseDateOption('--at', o.at) : ctx.clock.now();
        process.stdout.write(`${settingToJson(await getSettings(ctx.db, at))}\n`);
      }),
    );

  settings
    .command('set <assignments...>')
    .description('change settings: KEY=VALUE, where VALUE is JSON (strings may go unquoted)')
    .option('--from <iso>', 'effective from (default now)')
    .action((assignments: string[], o: { from?: string }) =>
      withContext(async (ctx) => {
        const values: Record<string, unknown> = {};
        for (const assignment of assignments) {
          const at = assignment.indexOf('=');
          if (at <= 0) fail(EXIT_CONFIG, `expected KEY=VALUE, got ${JSON.stringify(assignment)}`);
          values[assignment.slice(0, at)] = parseValue(assignment.slice(at + 1));
        }
        const updated = await updateSettings(ctx, {
          values,
          changedBy: 'cli',
          ...(o.from ? { effectiveFrom: parseDateOption('--from', o.from) } : {}),
        });
        process.stdout.write(`${settingToJson(updated)}\n`);
      }),
    );
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
