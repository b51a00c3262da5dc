import fs from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { importCatalog } from '../../catalog/import-catalog.js';
import { listProducts } from '../../catalog/list-products.js';
import { formatBasisPoints, formatMoney, money } from '../../money.js';
import { EXIT_CONFIG, fail, parseIntOption, printJson, withContext } from '../run.js';

export function registerCatalogCommands(program: Command): void {
  const catalog = program.command('catalog').description('the marketplace catalog');

  catalog
    .command('list')
    .description('products with the commission rate in force now and the rule behind it')
    .option('--limit <n>', 'at most this many (1–1000)', '50')
    .option('--search <text>', 'title contains')
    .option('--after <product_id>', 'start after this product id')
    .option('--json', 'print JSON lines')
    .action((o: { limit: string; search?: string; after?: string; json?: boolean }) =>
      withContext(async (ctx) => {
        const products = await listProducts(ctx, {
          limit: parseIntOption('--limit', o.limit, 1, 1000),
          ...(o.search ? { search: o.search } : {}),
          ...(o.after ? { after: o.after } : {}),
        });
        for (const p of products) {
          if (o.json) {
            printJson({
              product_id: p.productId,
              title: p.title,
              price_minor: p.priceMinor,
              currency: p.currency,
              url: p.url,
              store_id: p.storeId,
              category_id: p.categoryId,
              rate_bp: p.rateBp,
              rule: p.rule,
              explanation: p.explanation,
            });
          } else {
            const price = formatMoney(money(p.priceMinor, p.currency));
            process.stdout.write(
              `${p.productId}\t${price}\t${formatBasisPoints(p.rateBp)} (${p.rule.kind})\t${p.title}\n`,
            );
          }
        }
      }),
    );

  catalog
    .command('import <file>')
    .description('import products from CSV or JSON lines (.jsonl); known product ids are updated')
    .option('--json', 'print the report as JSON')
    .action((file: string, o: { json?: boolean }) =>
      withContext(async (ctx) => {
        if (!fs.existsSync(file) || !fs.statSync(file).isFile())
          fail(EXIT_CONFIG, `no such file: ${file}`);
        const bar = new cliProgress.SingleBar(
          {
            format: 'importing [{bar}] {percentage}% | {value}/{total} rows | {eta_formatted} left',
            stream: process.stderr,
            noTTYOutput: false,
          },
          cliProgress.Presets.shades_classic,
        );
        const expectedRows = await countLines(file);
        bar.start(expectedRows, 0);
        const report = await importCatalog(ctx, file, {
          useWorker: true,
          expectedRows,
          onProgress: (rows) => bar.update(rows),
        });
        bar.update(report.read);
        bar.stop();
        for (const e of report.errors) process.stderr.write(`line ${e.line}: ${e.reason}\n`);
        if (report.rejected > report.errors.length) {
          process.stderr.write(
            `… and ${report.rejected - report.errors.length} more rejected rows\n`,
          );
        }
        const { errors: _omitted, ...summary } = report;
        if (o.json) printJson(summary);
        else {
          process.stdout.write(
            `read ${report.read} rows: ${report.created} created, ${report.updated} updated, ${report.rejected} rejected\n`,
          );
        }
        if (report.rejected > 0) process.exitCode = 1;
      }),
    );
}

/** Data rows in the file, for the progress bar (a CSV header is not counted). */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
  }
  return /\.(jsonl|ndjson|json)$/i.test(file) ? lines : Math.max(0, lines - 1);
}
