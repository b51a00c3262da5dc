import type { Command } from 'commander';
import { isDatabaseEmpty } from '../../seed/seed-demo.js';
import { EXIT_APP_ERROR, EXIT_CONFIG, fail, withContext } from '../run.js';
import { runDemoSeed } from './print-demo.js';

export function registerDatabaseCommands(program: Command): void {
  program
    .command('migrate')
    .description('bring the database schema up to date (serve does this too)')
    .action(() =>
      withContext(async () => {
        // openContext has migrated by now.
        process.stdout.write('database is up to date\n');
      }),
    );

  program
    .command('seed')
    .description('fill an empty database')
    .requiredOption(
      '--demo',
      'the demo program: catalog, plans, an operator, 25 affiliates and 90 days of history',
    )
    .option('--days <n>', 'days of history before now (0 to 365)', '90')
    .option('--no-history', 'the catalog and the accounts only (same as --days 0)')
    .action((o: { days: string; history: boolean }) => {
      const days = o.history ? demoDays(o.days) : 0;
      return withContext(async (ctx) => {
        if (!(await isDatabaseEmpty(ctx.db)))
          fail(
            EXIT_APP_ERROR,
            'the database already has accounts: the demo seeds only an empty database',
          );
        await runDemoSeed(ctx, { days });
      });
    });
}

/** --days as a whole number of days from 0 to 365, or a usage error. */
export function demoDays(text: string): number {
  const days = Number(text);
  if (!/^\d{1,3}$/.test(text) || days > 365)
    fail(EXIT_CONFIG, `--days must be 0 to 365, not ${text}`);
  return days;
}
