import type { Command } from 'commander';
import { categoryTable } from '../../catalog/category-table.js';
import { rateFor } from '../../catalog/rate-for.js';
import { enrollmentScopes, ruleScopes } from '../../catalog/schema.js';
import { setCommissionRate } from '../../catalog/set-commission-rate.js';
import { setEnrollment } from '../../catalog/set-enrollment.js';
import { formatBasisPoints } from '../../money.js';
import {
  EXIT_CONFIG,
  fail,
  parseDateOption,
  parseIntOption,
  printJson,
  withContext,
} from '../run.js';

type RuleOptions = {
  scope: string;
  store?: string;
  target?: string;
  rateBp: string;
  from?: string;
  json?: boolean;
};
type EnrollOptions = {
  store: string;
  scope: string;
  target?: string;
  out?: boolean;
  from?: string;
  json?: boolean;
};

export function registerPlanCommands(program: Command): void {
  const plan = program.command('plan').description('commission plans: rates and enrollment');

  plan
    .command('set')
    .description('set a commission rate, now or from a future date')
    .requiredOption('--scope <scope>', ruleScopes.join(' | '))
    .option('--store <id>', 'the store (not for program_category)')
    .option('--target <id>', 'category id or product id')
    .requiredOption('--rate-bp <n>', 'basis points (700 = 7.00%), or "none" to remove the rule')
    .option('--from <iso>', 'effective from (default now)')
    .option('--json', 'print JSON')
    .action((o: RuleOptions) =>
      withContext(async (ctx) => {
        if (!(ruleScopes as readonly string[]).includes(o.scope))
          fail(EXIT_CONFIG, `--scope must be one of ${ruleScopes.join(', ')}`);
        const rule = await setCommissionRate(ctx, {
          scope: o.scope as (typeof ruleScopes)[number],
          rateBp: o.rateBp === 'none' ? null : parseIntOption('--rate-bp', o.rateBp, 0, 10_000),
          ...(o.store ? { storeId: o.store } : {}),
          ...(o.target ? { targetId: o.target } : {}),
          ...(o.from ? { effectiveFrom: parseDateOption('--from', o.from) } : {}),
          createdBy: 'cli',
        });
        if (o.json) printJson(rule);
        else {
          const rate = rule.rateBp === null ? 'removed' : formatBasisPoints(rule.rateBp);
          process.stdout.write(
            `${rule.scope} rule ${rule.id}: ${rate} from ${rule.effectiveFrom}\n`,
          );
        }
      }),
    );

  plan
    .command('enroll')
    .description('enroll a store, a category of it, or one product (or withdraw it with --out)')
    .requiredOption('--store <id>')
    .option('--scope <scope>', enrollmentScopes.join(' | '), 'store')
    .option('--target <id>', 'category id or product id')
    .option('--out', 'withdraw from the program instead')
    .option('--from <iso>', 'effective from (default now)')
    .option('--json', 'print JSON')
    .action((o: EnrollOptions) =>
      withContext(async (ctx) => {
        if (!(enrollmentScopes as readonly string[]).includes(o.scope)) {
          fail(EXIT_CONFIG, `--scope must be one of ${enrollmentScopes.join(', ')}`);
        }
        const result = await setEnrollment(ctx, {
          storeId: o.store,
          scope: o.scope as (typeof enrollmentScopes)[number],
          enrolled: !o.out,
          ...(o.target ? { targetId: o.target } : {}),
          ...(o.from ? { effectiveFrom: parseDateOption('--from', o.from) } : {}),
          createdBy: 'cli',
        });
        if (o.json) printJson(result);
        else
          process.stdout.write(
            `${o.out ? 'withdrawn' : 'enrolled'} from ${result.effectiveFrom}\n`,
          );
      }),
    );

  plan
    .command('rate <product_id>')
    .description('the rate a product pays at a moment, and the rule behind it')
    .option('--at <iso>', 'when (default now)')
    .option('--hot', 'as if the click came through a hot link')
    .option('--json', 'print JSON')
    .action((productId: string, o: { at?: string; hot?: boolean; json?: boolean }) =>
      withContext(async (ctx) => {
        const at = o.at ? parseDateOption('--at', o.at) : ctx.clock.now();
        const decision = await rateFor(ctx.db, productId, at, { hot: o.hot ?? false });
        if (o.json) printJson(decision);
        else process.stdout.write(`${decision.explanation}\n`);
      }),
    );

  plan
    .command('table')
    .description("the operator's category table (the rates of fixed_category mode)")
    .option('--at <iso>', 'when (default now)')
    .option('--json', 'print JSON lines')
    .action((o: { at?: string; json?: boolean }) =>
      withContext(async (ctx) => {
        const at = o.at ? parseDateOption('--at', o.at) : ctx.clock.now();
        for (const row of await categoryTable(ctx.db, at)) {
          if (o.json) printJson(row);
          else
            process.stdout.write(
              `${row.categoryId}\t${formatBasisPoints(row.rateBp)}\t${row.name}\n`,
            );
        }
      }),
    );
}
