import type { Command } from 'commander';
import { createOperator } from '../../auth/create-operator.js';
import { printJson, withContext } from '../run.js';

export function registerOperatorCommands(program: Command): void {
  program
    .command('operator')
    .description('operator (program staff) accounts')
    .command('create')
    .requiredOption('--email <email>')
    .requiredOption('--password <password>', 'at least 10 characters')
    .option('--json', 'print JSON')
    .action((o: { email: string; password: string; json?: boolean }) =>
      withContext(async (ctx) => {
        const user = await createOperator(ctx, { email: o.email, password: o.password });
        if (o.json) printJson(user);
        else process.stdout.write(`operator ${user.email} created\n`);
      }),
    );
}
