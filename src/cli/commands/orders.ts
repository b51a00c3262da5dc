import type { Command } from 'commander';
import { ManualClock } from '../../clock.js';
import { setFxRate } from '../../fx/set-fx-rate.js';
import { runDueJobs } from '../../jobs/run-due-jobs.js';
import { deliverOutbox } from '../../notifications/deliver-outbox.js';
import { merchantSecrets } from '../../orders/merchant-signature.js';
import { showOrder } from '../../orders/show-order.js';
import { runPayoutIfDue } from '../../payouts/payout-day.js';
import { deliverDue } from '../../webhooks/deliver.js';
import { parseDateOption, printJson, withContext } from '../run.js';

export function registerOrderCommands(program: Command): void {
  program
    .command('orders')
    .description('orders reported by the marketplace')
    .command('show <order_id>')
    .description('each sub-order: status, commission and how it was reached')
    .option('--json', 'print JSON')
    .action((orderId: string, o: { json?: boolean }) =>
      withContext(async (ctx) => {
        const order = await showOrder(ctx.db, orderId);
        if (o.json) return printJson(order);
        process.stdout.write(
          `order ${order.order_id}, paid ${order.paid_at}, affiliate ${order.affiliate_id ?? '(none)'}\n`,
        );
        for (const sub of order.sub_orders) {
          process.stdout.write(
            `  ${sub.sub_order_id}\t${sub.status}${sub.invalid_reason ? ` (${sub.invalid_reason})` : ''}\tcommission ${sub.commission_settlement_minor} ${sub.settlement_currency} minor\n`,
          );
          for (const line of sub.explanation) process.stdout.write(`      ${line}\n`);
        }
      }),
    );

  program
    .command('fx')
    .description('exchange rates into the settlement currency')
    .command('set <currency> <rate>')
    .description(
      'record the rate of CURRENCY in the settlement currency, e.g. affnet fx set EUR 1.0850',
    )
    .option('--at <iso>', 'in force from (default now; may be in the past)')
    .action((currency: string, rate: string, o: { at?: string }) =>
      withContext(async (ctx) => {
        const set = await setFxRate(ctx, {
          currency,
          rate,
          ...(o.at ? { effectiveAt: parseDateOption('--at', o.at) } : {}),
        });
        process.stdout.write(
          `1 ${set.currency} = ${set.rate} ${set.toCurrency} from ${set.effectiveAt}\n`,
        );
      }),
    );

  program
    .command('jobs')
    .description(
      'scheduled work: auto-confirmation, settlement, 180-day invalidation, the monthly payout run, emails, webhooks',
    )
    .command('run')
    .description('run every job that is due, once')
    .option('--now <iso>', 'run as if it were this time (tests, the demo)')
    .option('--json', 'print the report as JSON')
    .action((o: { now?: string; json?: boolean }) =>
      withContext(
        async (ctx) => {
          const report = await runDueJobs(ctx);
          const payouts = await runPayoutIfDue(ctx);
          const emails = await deliverOutbox(ctx, {
            smtpUrl: ctx.config.smtpUrl,
            from: ctx.config.emailFrom,
            dataDir: ctx.config.dataDir,
          });
          // Loaded here: undici is needed only when deliveries are sent.
          const { webhookFetch } = await import('../../webhooks/public-fetch.js');
          const webhooks = await deliverDue(ctx, webhookFetch(ctx.config));
          if (o.json) printJson({ ...report, payouts: payouts ?? null, emails, webhooks });
          else {
            process.stdout.write(
              `checked ${report.ordersChecked} orders: ${report.settled} sub-orders settled, ${report.confirmed} confirmed, ${report.invalidated} invalid, ${report.sellerReleases} released to sellers\n`,
            );
            if (payouts)
              process.stdout.write(
                `payout run ${payouts.period}: ${payouts.paid} withdrawals, ${payouts.alreadyPaid} paid before, ${payouts.belowMinimum} below the minimum\n`,
              );
            if (emails.sent + emails.failed > 0)
              process.stdout.write(`emails: ${emails.sent} sent, ${emails.failed} failed\n`);
            if (webhooks.delivered + webhooks.failed > 0)
              process.stdout.write(
                `webhooks and postbacks: ${webhooks.delivered} delivered, ${webhooks.failed} failed\n`,
              );
          }
        },
        o.now ? { clock: new ManualClock(parseDateOption('--now', o.now)) } : {},
      ),
    );

  program
    .command('merchant')
    .description('the marketplace side of the program')
    .command('secret')
    .description('print the secret the marketplace signs events with (both, while rotating)')
    .action(() =>
      withContext(async (ctx) => {
        for (const secret of merchantSecrets(ctx.config)) process.stdout.write(`${secret}\n`);
      }),
    );
}
