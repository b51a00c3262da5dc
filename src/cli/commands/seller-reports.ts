import type { Command } from 'commander';
import { DAY_MS } from '../../clock.js';
import { formatDecimal } from '../../money.js';
import { getSeller } from '../../sellers/seller-access.js';
import { sellerReport } from '../../sellers/seller-reports.js';
import { sellerReportCsv } from '../../sellers/seller-reports-csv.js';
import { MAX_STATEMENT_PAGE, sellerStatement } from '../../sellers/seller-statement.js';
import { sellerStatementCsv } from '../../sellers/seller-statement-csv.js';
import { EXIT_CONFIG, fail, withContext } from '../run.js';

const BY = ['day', 'product', 'category'] as const;
/** Statement lines printed as text: the CSV has them all. */
const MAX_TEXT_PAGES = 1_000;

/** The `seller` command, shared with the seller plan commands (src/cli/commands/seller.ts). */
function sellerCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'seller') ??
    program.command('seller').description("sellers: the seller center's plans, reports and money")
  );
}

function dayOption(name: string, text: string): Date {
  const at = new Date(`${text}T00:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(at.getTime()))
    fail(EXIT_CONFIG, `${name} must be a day, YYYY-MM-DD, got ${JSON.stringify(text)}`);
  return at;
}

/** `affnet seller report` and `affnet seller statement`: the seller's money, as the seller sees it. */
export function registerSellerReportCommands(program: Command): void {
  const seller = sellerCommand(program);
  seller
    .command('report')
    .description(
      "a seller's affiliate-driven orders, sales and commission per day, product or category (UTC days of payment)",
    )
    .requiredOption('--seller <id>', 'the seller')
    .option('--by <what>', 'day, product or category', 'day')
    .option('--from <day>', 'first day, YYYY-MM-DD (default: 29 days before --to)')
    .option('--to <day>', 'last day, included, YYYY-MM-DD (default: today)')
    .option('--store <id>', 'one of the seller’s stores (default: all)')
    .option('--csv', 'print CSV, amounts as decimals')
    .action(
      (o: {
        seller: string;
        by: string;
        from?: string;
        to?: string;
        store?: string;
        csv?: boolean;
      }) =>
        withContext(async (ctx) => {
          if (!(BY as readonly string[]).includes(o.by))
            fail(EXIT_CONFIG, `--by must be day, product or category, got ${JSON.stringify(o.by)}`);
          const by = o.by as (typeof BY)[number];
          await getSeller(ctx.db, o.seller);
          const last = o.to
            ? dayOption('--to', o.to)
            : dayOption('--to', ctx.clock.now().toISOString().slice(0, 10));
          const from = o.from
            ? dayOption('--from', o.from)
            : new Date(last.getTime() - 29 * DAY_MS);
          const filter = {
            from,
            to: new Date(last.getTime() + DAY_MS),
            ...(o.store ? { storeId: o.store } : {}),
          };
          if (o.csv) {
            process.stdout.write(await sellerReportCsv(ctx, o.seller, by, filter));
            return;
          }
          const rows = await sellerReport(ctx, o.seller, by, filter);
          for (const r of rows)
            process.stdout.write(
              `${r.label}\t${r.orders} orders\tsales ${formatDecimal(r.salesMinor, r.currency)}\testimated ${formatDecimal(r.estimatedMinor, r.currency)}\tsettled ${formatDecimal(r.settledMinor, r.currency)}\tinvalid ${formatDecimal(r.invalidMinor, r.currency)} ${r.currency}\n`,
            );
          if (rows.length === 0)
            process.stdout.write('no affiliate-driven orders in this period\n');
        }),
    );

  seller
    .command('statement')
    .description(
      "a seller's statement: each release and correction of its payable account, with the running balance",
    )
    .requiredOption('--seller <id>', 'the seller')
    .option('--currency <code>', 'the payable account of this currency (default: the seller’s)')
    .option('--csv', 'print CSV, amounts as decimals')
    .action((o: { seller: string; currency?: string; csv?: boolean }) =>
      withContext(async (ctx) => {
        await getSeller(ctx.db, o.seller);
        const query = o.currency ? { currency: o.currency.toUpperCase() } : {};
        if (o.csv) {
          for await (const chunk of await sellerStatementCsv(ctx, o.seller, query))
            process.stdout.write(chunk);
          return;
        }
        let after: string | undefined;
        for (let page = 0; page < MAX_TEXT_PAGES; page += 1) {
          const s = await sellerStatement(ctx, o.seller, {
            ...query,
            ...(after ? { after } : {}),
            limit: MAX_STATEMENT_PAGE,
          });
          const f = (minor: bigint) => formatDecimal(minor, s.currency);
          for (const l of s.lines)
            process.stdout.write(
              `${l.at}\t${l.kind}\t${l.subOrderId}\tsale ${f(l.saleMinor)}\tcommission ${f(l.commissionMinor)}\t${f(l.amountMinor)}\tbalance ${f(l.balanceMinor)} ${s.currency}\n`,
            );
          if (s.next === null) {
            process.stdout.write(`balance ${f(s.balanceMinor)} ${s.currency}\n`);
            return;
          }
          after = s.next;
        }
      }),
    );
}
