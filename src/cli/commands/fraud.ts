import type { Command } from 'commander';
import { listFlags } from '../../fraud/list-flags.js';
import { invalidateFlag, type Resolved, releaseFlag } from '../../fraud/resolve-flag.js';
import { MAX_FLAG_PAGE } from '../../fraud/schema.js';
import { FRAUD_SIGNALS, isFraudSignal } from '../../fraud/signals.js';
import { EXIT_CONFIG, fail, parseIntOption, printJson, withContext } from '../run.js';

/** `affnet fraud …`: the operator's review of fraud flags, the same services as the console. */
export function registerFraudCommands(program: Command): void {
  const fraud = program
    .command('fraud')
    .description('fraud signals: flagged orders held for review, released or invalidated');

  fraud
    .command('flags')
    .description('fraud flags, newest first (every flag, or --open ones)')
    .option('--open', 'only flags still open (held for review)')
    .option('--signal <signal>', FRAUD_SIGNALS.join(' | '))
    .option('--affiliate <id>', "one affiliate's flags")
    .option('--before <flag_id>', 'the page after this flag')
    .option('--limit <n>', `at most ${MAX_FLAG_PAGE}`, '50')
    .option('--json', 'print JSON, one flag a line')
    .action(
      (o: {
        open?: boolean;
        signal?: string;
        affiliate?: string;
        before?: string;
        limit: string;
        json?: boolean;
      }) => {
        if (o.signal !== undefined && !isFraudSignal(o.signal))
          fail(EXIT_CONFIG, `--signal must be one of ${FRAUD_SIGNALS.join(', ')}`);
        const limit = parseIntOption('--limit', o.limit, 1, MAX_FLAG_PAGE);
        return withContext(async (ctx) => {
          const flags = await listFlags(ctx.db, {
            open: o.open === true,
            limit,
            ...(o.signal && isFraudSignal(o.signal) ? { signal: o.signal } : {}),
            ...(o.affiliate ? { affiliate_id: o.affiliate } : {}),
            ...(o.before ? { before: o.before } : {}),
          });
          if (o.json) {
            for (const flag of flags) printJson(flag);
            return;
          }
          if (flags.length === 0) process.stdout.write('no flags\n');
          for (const f of flags)
            process.stdout.write(
              `${f.id}\t${f.resolution ?? 'open'}\torder ${f.orderId}\t${f.affiliateId}\t${f.signal}: ${f.reason}\n`,
            );
        });
      },
    );

  const report = (resolved: Resolved) => {
    const { flag, subOrders } = resolved;
    process.stdout.write(
      `flag ${flag.id} ${flag.resolution}: order ${flag.orderId} now ${subOrders.map((s) => `${s.subOrderId} ${s.status}`).join(', ')}\n`,
    );
  };

  fraud
    .command('release <flag_id>')
    .description("release a flag: the order's commission settles at the next job run once due")
    .option('--note <text>', 'why (kept with the flag)')
    .option('--json', 'print JSON')
    .action((flagId: string, o: { note?: string; json?: boolean }) =>
      withContext(async (ctx) => {
        const resolved = await releaseFlag(ctx, { flagId, operator: 'cli', note: o.note });
        if (o.json) printJson(resolved);
        else report(resolved);
      }),
    );

  fraud
    .command('invalidate <flag_id>')
    .description('invalidate the flagged order: its estimated commission is voided')
    .requiredOption('--note <text>', 'why (the order is Invalid for it)')
    .option('--json', 'print JSON')
    .action((flagId: string, o: { note: string; json?: boolean }) =>
      withContext(async (ctx) => {
        const resolved = await invalidateFlag(ctx, { flagId, operator: 'cli', note: o.note });
        if (o.json) printJson(resolved);
        else report(resolved);
      }),
    );
}
