import type { Command } from 'commander';
import { auditLedger } from '../../ledger/audit-ledger.js';
import { EXIT_APP_ERROR, printJson, withContext } from '../run.js';

export function registerLedgerCommands(program: Command): void {
  program
    .command('ledger')
    .description('the double-entry ledger')
    .command('audit')
    .description('check every ledger invariant; exits non-zero and names each violation')
    .option('--json', 'print the result as JSON')
    .action((o: { json?: boolean }) =>
      withContext(async (ctx) => {
        const audit = await auditLedger(ctx.db);
        if (o.json) printJson({ ok: audit.violations.length === 0, ...audit });
        else {
          for (const v of audit.violations) process.stderr.write(`violation: ${v}\n`);
          process.stdout.write(
            `${audit.transfers} transfers in ${audit.accounts} accounts: ${audit.violations.length === 0 ? 'the ledger balances' : `${audit.violations.length} violations`}\n`,
          );
        }
        if (audit.violations.length > 0) process.exitCode = EXIT_APP_ERROR;
      }),
    );
}
