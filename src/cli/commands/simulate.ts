import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { issueOperatorToken } from '../../auth/operator-tokens.js';
import { ManualClock } from '../../clock.js';
import { publicBaseUrl } from '../../config.js';
import { formatDecimal } from '../../money.js';
import { merchantSecrets } from '../../orders/merchant-signature.js';
import { ServerClient } from '../../simulate/server-client.js';
import { type SimulationSummary, simulate } from '../../simulate/simulate.js';
import { EXIT_APP_ERROR, EXIT_CONFIG, fail, printJson, withContext } from '../run.js';

type Options = {
  days: string;
  affiliates: string;
  clicksPerDay: string;
  conversion: string;
  url?: string;
  operator: string;
  seed: string;
  json?: boolean;
};

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description(
      'drive live traffic against a running demo server (`affnet serve --demo`): clicks through /c, orders through the merchant API, a day at a time on its clock',
    )
    .option('--days <n>', 'days to simulate (1 to 365)', '7')
    .option('--affiliates <n>', 'affiliates whose links get visitors (1 to 1000)', '10')
    .option(
      '--clicks-per-day <n>',
      'visitors a day, all affiliates together (1 to 1000000)',
      '1000',
    )
    .option('--conversion <share>', 'share of clicks that become orders (0 to 1)', '0.03')
    .option('--url <url>', 'the server (default: AFFNET_PUBLIC_URL, else http://localhost:PORT)')
    .option(
      '--operator <email>',
      'the operator whose token drives the demo clock',
      'admin@affnet.local',
    )
    .option('--seed <n>', 'random seed: the same seed sends the same traffic', '1')
    .option('--json', 'print the summary as JSON')
    .action((o: Options) => {
      const days = wholeNumber('--days', o.days, 1, 365);
      const affiliates = wholeNumber('--affiliates', o.affiliates, 1, 1000);
      const clicksPerDay = wholeNumber('--clicks-per-day', o.clicksPerDay, 1, 1_000_000);
      const seed = wholeNumber('--seed', o.seed, 0, 2 ** 31);
      const conversion = Number(o.conversion);
      if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(o.conversion))
        fail(EXIT_CONFIG, `--conversion must be a share from 0 to 1, not ${o.conversion}`);
      // The setup (affiliates, links) is written at the server's time, not ours.
      const clock = new ManualClock(new Date(0));
      return withContext(
        async (ctx) => {
          const url = (o.url ?? publicBaseUrl(ctx.config)).replace(/\/+$/, '');
          const { token } = await issueOperatorToken(ctx, o.operator);
          const [secret] = merchantSecrets(ctx.config);
          const server = new ServerClient(url, token, secret as string);
          try {
            clock.set(new Date((await server.clock()).now));
          } catch (error) {
            fail(EXIT_APP_ERROR, `cannot reach the demo server: ${(error as Error).message}`);
          }
          const bar = new cliProgress.SingleBar(
            { format: 'simulating [{bar}] {value}/{total} days', stream: process.stderr },
            cliProgress.Presets.shades_classic,
          );
          bar.start(days, 0);
          let summary: SimulationSummary;
          try {
            summary = await simulate(ctx, server, {
              days,
              affiliates,
              clicksPerDay,
              conversion,
              seed,
              concurrency: 8,
              onDay: (day) => {
                bar.update(day);
                clock.set(server.serverNow());
              },
            });
          } finally {
            bar.stop();
          }
          if (o.json) printJson(summary);
          else process.stdout.write(describe(summary));
          if (!summary.agrees || summary.audit.violations.length > 0)
            process.exitCode = EXIT_APP_ERROR;
        },
        { clock },
      );
    });
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d{1,10}$/.test(text) || n < min || n > max)
    fail(EXIT_CONFIG, `${flag} must be a whole number from ${min} to ${max}, not ${text}`);
  return n;
}

function describe(s: SimulationSummary): string {
  const money = (minor: bigint) =>
    `${formatDecimal(minor, s.commission.currency)} ${s.commission.currency}`;
  return `${[
    `simulated ${s.from.slice(0, 10)} → ${s.to.slice(0, 10)} on the server's clock, ${s.affiliates} affiliates`,
    `  clicks:     ${s.clicks.sent} sent, ${s.clicks.redirected} redirected, ${s.clicks.stored} stored (${s.clicks.unique} unique)`,
    `  orders:     ${s.orders.paid} paid, ${s.orders.attributed} attributed; ${s.orders.events} merchant events, ${s.orders.rejected} rejected`,
    `  commission: estimated ${money(s.commission.estimatedMinor)}, settled ${money(s.commission.settledMinor)}, invalid ${money(s.commission.invalidMinor)}, awaiting settlement ${money(s.commission.awaitingMinor)}`,
    `  held:       ${s.held.subOrders} sub-orders held for fraud review, ${money(s.held.commissionMinor)} of the commission awaiting settlement`,
    `  ledger:     booked ${money(s.ledger.bookedMinor)}, posted ${money(s.ledger.postedMinor)}, voided ${money(s.ledger.voidedMinor)}, clawed back ${money(s.ledger.clawedBackMinor)}: ${s.agrees ? 'agrees with the orders' : 'DOES NOT AGREE with the orders'}`,
    `  payouts:    ${s.payouts.runs} runs, ${s.payouts.withdrawals} withdrawals, ${money(s.payouts.paidMinor)}`,
    `  ledger audit: ${s.audit.transfers} transfers in ${s.audit.accounts} accounts: ${s.audit.violations.length === 0 ? 'the ledger balances' : `${s.audit.violations.length} violations`}`,
  ].join('\n')}\n`;
}
