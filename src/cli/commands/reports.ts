import type { Command } from 'commander';
import { verifyOrderRollups } from '../../reports/verify-order-rollups.js';
import { EXIT_APP_ERROR, printJson, withContext } from '../run.js';

export function registerReportCommands(program: Command): void {
  program
    .command('reports')
    .description('the rollups behind dashboards and exports')
    .command('verify')
    .description(
      'recompute the order rollups from the sub-orders and clawbacks; exits non-zero and lists each row that differs',
    )
    .option('--affiliate <id>', 'one affiliate (default: every affiliate)')
    .option('--json', 'print the result as JSON')
    .action((o: { affiliate?: string; json?: boolean }) =>
      withContext(async (ctx) => {
        const check = await verifyOrderRollups(ctx, { affiliateId: o.affiliate });
        if (o.json) printJson({ ok: check.differenceCount === 0, ...check });
        else {
          for (const d of check.differences)
            process.stderr.write(
              `difference in ${d.table} ${JSON.stringify(d.key)}: expected ${format(d.expected)}, stored ${format(d.stored)}\n`,
            );
          process.stdout.write(
            `${check.rows} rollup rows of ${check.affiliates} affiliates: ${check.differenceCount === 0 ? 'the order rollups equal the sub-orders' : `${check.differenceCount} differ`}\n`,
          );
        }
        if (check.differenceCount > 0) process.exitCode = EXIT_APP_ERROR;
      }),
    );
}

function format(counters: Record<string, bigint>): string {
  return Object.entries(counters)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}
