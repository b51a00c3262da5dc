import type { Command } from 'commander';
import { createOperator } from '../../auth/create-operator.js';
import { issueOperatorToken } from '../../auth/operator-tokens.js';
import { printJson, withContext } from '../run.js';

export function registerOperatorCommands(program: Command): void {
  const operator = program.command('operator').description('operator (program staff) accounts');

  operator
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

  operator
    .command('token')
    .description('issue an API token for /api/operator/v1 (shown once)')
    .requiredOption('--email <email>', 'the operator')
    .option('--json', 'print JSON')
    .action((o: { email: string; json?: boolean }) =>
      withContext(async (ctx) => {
        const issued = await issueOperatorToken(ctx, o.email);
        if (o.json) printJson(issued);
        else process.stdout.write(`${issued.token}   (shown once: store it now)\n`);
      }),
    );
}
