import fs from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { table } from '../../lib/text-table.js';
import { formatMoney } from '../../money.js';
import { exportBatch } from '../../payouts/export-batch.js';
import { importResults } from '../../payouts/import-results.js';
import { quoteWithdrawal, requestWithdrawal } from '../../payouts/request-withdrawal.js';
import { runPayouts } from '../../payouts/run-payouts.js';
import { periodText } from '../../payouts/schema.js';
import { EXIT_CONFIG, fail, parseIntOption, printJson, withContext } from '../run.js';

export function registerPayoutCommands(program: Command): void {
  program
    .command('withdraw')
    .description('withdraw from an affiliate’s available balance to their bank account')
    .requiredOption('--affiliate <id>')
    .requiredOption('--amount <minor>', 'amount in minor units, fee included (e.g. 5000 = 50.00)')
    .option('--idempotency-key <key>', 'the same key again returns the first withdrawal')
    .option('--quote', 'only show the fee and the net amount; withdraw nothing')
    .option('--json', 'print JSON')
    .action(
      (o: {
        affiliate: string;
        amount: string;
        idempotencyKey?: string;
        quote?: boolean;
        json?: boolean;
      }) =>
        withContext(async (ctx) => {
          if (!/^\d{1,18}$/.test(o.amount))
            fail(EXIT_CONFIG, `--amount must be a whole number of minor units, got ${o.amount}`);
          const amountMinor = BigInt(o.amount);
          if (o.quote) {
            const q = await quoteWithdrawal(ctx, o.affiliate, amountMinor);
            const out = {
              amount: q.amountMinor,
              fee: q.feeMinor,
              net: q.netMinor,
              currency: q.currency,
              available: q.availableMinor,
              rail: q.rail,
              bank_account: q.bankAccount,
            };
            if (o.json) printJson(out);
            else
              process.stdout.write(
                `withdrawing ${show(q.amountMinor, q.currency)} costs a fee of ${show(q.feeMinor, q.currency)}: ${show(q.netMinor, q.currency)} goes to ${q.bankAccount} by ${q.rail}\n`,
              );
            return;
          }
          const { withdrawal: w, replayed } = await requestWithdrawal(ctx, {
            affiliateId: o.affiliate,
            amountMinor,
            ...(o.idempotencyKey ? { idempotencyKey: o.idempotencyKey } : {}),
          });
          const out = {
            id: w.id,
            amount: w.amountMinor,
            fee: w.feeMinor,
            net: w.netMinor,
            currency: w.currency,
            state: w.stateLabel,
            rail: w.rail,
            replayed,
          };
          if (o.json) printJson(out);
          else
            process.stdout.write(
              `withdrawal ${w.id}: ${show(w.netMinor, w.currency)} to the bank + fee ${show(w.feeMinor, w.currency)}, ${w.stateLabel}${replayed ? ' (the same request as before)' : ''}\n`,
            );
        }),
    );

  const payouts = program.command('payouts').description('payout runs and bank files');

  payouts
    .command('run')
    .description('pay every affiliate with auto-withdraw on their balance settled in the period')
    .requiredOption('--period <YYYY-MM>', 'the month whose settled balances are paid')
    .option('--dry-run', 'show what would be paid; write nothing')
    .option('--page-size <n>', 'affiliates per transaction', '500')
    .option('--json', 'print the summary as JSON')
    .action((o: { period: string; dryRun?: boolean; pageSize: string; json?: boolean }) =>
      withContext(async (ctx) => {
        if (!periodText.safeParse(o.period).success)
          fail(EXIT_CONFIG, `--period must be a month, YYYY-MM; got ${o.period}`);
        const bar = new cliProgress.SingleBar(
          {
            format: `payouts ${o.period} [{bar}] {percentage}% | {value}/{total} affiliates | {eta_formatted} left`,
            stream: process.stderr,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(0, 0);
        const s = await runPayouts(ctx, o.period, {
          dryRun: o.dryRun ?? false,
          pageSize: parseIntOption('--page-size', o.pageSize, 1, 5000),
          onProgress: (done, total) => {
            bar.setTotal(total);
            bar.update(done);
          },
        });
        bar.stop();
        if (o.json) {
          printJson(s);
          return;
        }
        const rows: (string | number | bigint)[][] = [
          ['', 'affiliates', 'amount'],
          [s.dryRun ? 'would pay' : 'paid', s.paid, show(s.paidMinor, s.currency)],
          ['  of which fees', '', show(s.feesMinor, s.currency)],
          [
            '  by SEPA / wire / manual',
            `${s.byRail.sepa} / ${s.byRail.wire} / ${s.byRail.manual}`,
            '',
          ],
          ['already paid this period', s.alreadyPaid, ''],
          ['below the minimum', s.belowMinimum, ''],
          ['no longer eligible', s.noLongerEligible, ''],
          ['candidates', s.candidates, ''],
        ];
        process.stdout.write(
          `payout run ${s.period}${s.dryRun ? ' (dry run)' : ''}\n${table(rows)}\n`,
        );
      }),
    );

  payouts
    .command('export')
    .description('put every Processing withdrawal of a rail not yet sent into a bank file')
    .requiredOption('--format <format>', 'sepa (pain.001.001.03 XML) | csv (international wire)')
    .requiredOption('--out <file>')
    .option('--batch <id>', 'write the file of this earlier batch again')
    .option('--json', 'print JSON')
    .action((o: { format: string; out: string; batch?: string; json?: boolean }) =>
      withContext(async (ctx) => {
        if (o.format !== 'sepa' && o.format !== 'csv')
          fail(EXIT_CONFIG, `--format must be sepa or csv, got ${o.format}`);
        const batch = await exportBatch(ctx, { format: o.format, file: o.out, batchId: o.batch });
        if (!batch) {
          process.stderr.write(`no ${o.format} withdrawals waiting: no file written\n`);
          if (o.json) printJson(null);
          return;
        }
        if (o.json)
          printJson({
            batch_id: batch.batchId,
            transfers: batch.transfers,
            total: batch.totalMinor,
            currency: batch.currency,
            file: o.out,
          });
        else {
          process.stdout.write(`${batch.batchId}\n`);
          process.stderr.write(
            `${batch.transfers} transfers, ${show(batch.totalMinor, batch.currency)}, written to ${o.out}\n`,
          );
        }
      }),
    );

  payouts
    .command('import-results <file>')
    .description(
      'apply a bank results CSV (end_to_end_id,status,reason_code,reason_text,date), whole or not at all',
    )
    .option('--json', 'print JSON')
    .action((file: string, o: { json?: boolean }) =>
      withContext(async (ctx) => {
        if (!fs.existsSync(file) || !fs.statSync(file).isFile())
          fail(EXIT_CONFIG, `no such file: ${file}`);
        const s = await importResults(ctx, fs.readFileSync(file, 'utf8'));
        if (o.json) printJson(s);
        else
          process.stdout.write(
            `${s.lines} lines: ${s.succeeded} paid, ${s.failed} failed, ${s.returned} returned, ${s.unchanged} imported before\n`,
          );
      }),
    );
}

function show(minor: bigint, currency: string): string {
  return formatMoney({ amountMinor: minor, currency });
}
