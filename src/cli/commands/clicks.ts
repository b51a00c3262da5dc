import type { Command } from 'commander';
import { clickStats } from '../../tracking/click-stats.js';
import { printJson, withContext } from '../run.js';

export function registerClickCommands(program: Command): void {
  program
    .command('clicks')
    .description('click statistics (from the rollups)')
    .command('stats')
    .requiredOption('--affiliate <id>')
    .requiredOption('--from <day>', 'YYYY-MM-DD')
    .requiredOption('--to <day>', 'YYYY-MM-DD')
    .option('--by <dimension>', 'day | tracking_id | sub1 | country', 'day')
    .option('--json', 'print JSON lines')
    .action((o: { affiliate: string; from: string; to: string; by: string; json?: boolean }) =>
      withContext(async (ctx) => {
        const rows = await clickStats(ctx.db, {
          affiliateId: o.affiliate,
          from: o.from,
          to: o.to,
          by: o.by as 'day',
        });
        for (const row of rows) {
          if (o.json)
            printJson({
              key: row.key,
              clicks: row.clicks,
              unique_clicks: row.uniqueClicks,
              bot_clicks: row.botClicks,
            });
          else
            process.stdout.write(
              `${row.key || '(none)'}\t${row.clicks} clicks\t${row.uniqueClicks} unique\t${row.botClicks} bots\n`,
            );
        }
      }),
    );
}
