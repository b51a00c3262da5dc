import type { Command } from 'commander';
import { isDatabaseEmpty, seedDemo } from '../../seed/seed-demo.js';
import { EXIT_APP_ERROR, fail, withContext } from '../run.js';
import { printDemoCredentials } from './print-demo.js';

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
    .requiredOption('--demo', 'the demo program: catalog, plans, an operator and an affiliate')
    .action(() =>
      withContext(async (ctx) => {
        if (!(await isDatabaseEmpty(ctx.db)))
          fail(
            EXIT_APP_ERROR,
            'the database already has accounts: the demo seeds only an empty database',
          );
        printDemoCredentials(await seedDemo(ctx));
      }),
    );
}
