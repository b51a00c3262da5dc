import fs from 'node:fs';
import type { Command } from 'commander';
import { publicBaseUrl } from '../../config.js';
import { isAppError } from '../../errors.js';
import { table } from '../../lib/text-table.js';
import { formatBasisPoints } from '../../money.js';
import {
  applyRatesImport,
  type ImportRow,
  previewRatesImport,
} from '../../sellers/import-rates.js';
import { inviteSeller } from '../../sellers/invite-seller.js';
import { MAX_RATES_FILE_BYTES, type RowProblem } from '../../sellers/rates-file.js';
import { issueSellerApiKey } from '../../sellers/seller-api-keys.js';
import { EXIT_APP_ERROR, EXIT_CONFIG, fail, printJson, withContext } from '../run.js';

const rate = (bp: number | null) => (bp === null ? '-' : formatBasisPoints(bp));

function previewTable(rows: readonly ImportRow[]): string {
  return table([
    ['line', 'product', 'store', 'current', 'new', 'from', 'change'],
    ...rows.map((r) => [
      r.line,
      r.productId,
      r.storeId,
      rate(r.currentRateBp),
      rate(r.newRateBp),
      r.effectiveFrom,
      r.change,
    ]),
  ]);
}

/** `affnet seller …`: seller-center invitations, seller API keys, and bulk rate files. */
export function registerSellerCommands(program: Command): void {
  const seller = program
    .command('seller')
    .description('sellers: seller-center logins, API keys, rates');

  seller
    .command('invite')
    .description('invite a seller to the seller center: prints the link once (it is also emailed)')
    .requiredOption('--seller <id>', 'the seller')
    .option('--email <email>', "the login's email (default: the seller's email)")
    .action((o: { seller: string; email?: string }) =>
      withContext(async (ctx) => {
        const invite = await inviteSeller(ctx, {
          sellerId: o.seller,
          email: o.email,
          baseUrl: publicBaseUrl(ctx.config),
        });
        process.stdout.write(
          `invited ${invite.email} to the seller center of ${invite.sellerId} (until ${invite.expiresAt}):\n${invite.url}\n`,
        );
      }),
    );

  seller
    .command('api-key')
    .description('issue a seller API key for /api/seller/v1: printed once, only its hash is kept')
    .requiredOption('--seller <id>', 'the seller')
    .action((o: { seller: string }) =>
      withContext(async (ctx) => {
        const issued = await issueSellerApiKey(ctx, o.seller);
        process.stdout.write(`${issued.key}\n`);
        process.stderr.write(`key ${issued.id} for ${o.seller}: shown once, keep it now\n`);
      }),
    );

  const rates = seller.command('rates').description("a seller's commission rates");
  rates
    .command('import <file>')
    .description(
      'product rates from a CSV (product_id,rate_bp,effective_from): shows what changes, then applies all rows or none',
    )
    .requiredOption('--seller <id>', 'the seller whose products the file rates')
    .option('--dry-run', 'show what would change and apply nothing')
    .option('--json', 'print the result as JSON')
    .action((file: string, o: { seller: string; dryRun?: boolean; json?: boolean }) =>
      withContext(async (ctx) => {
        if (!fs.existsSync(file) || !fs.statSync(file).isFile())
          fail(EXIT_CONFIG, `no such file: ${file}`);
        if (fs.statSync(file).size > MAX_RATES_FILE_BYTES)
          fail(EXIT_APP_ERROR, `error [invalid_rates_file]: ${file} is over 5 MiB: split it`);
        const text = fs.readFileSync(file, 'utf8');
        try {
          const result = o.dryRun
            ? {
                ...(await previewRatesImport(ctx, o.seller, text)),
                applied: 0,
                message: 'dry run: nothing applied',
              }
            : await applyRatesImport(ctx, o.seller, text);
          if (o.json) return printJson({ dryRun: o.dryRun === true, ...result });
          const t = result.totals;
          process.stdout.write(
            `${previewTable(result.rows)}\n${t.rows} rows: ${t.new} new, ${t.raise} raised, ${t.lower} lowered, ${t.unchanged} unchanged\n${result.message}\n`,
          );
        } catch (error) {
          if (!isAppError(error) || error.code !== 'invalid_rates_file') throw error;
          for (const p of error.details as RowProblem[])
            process.stderr.write(`line ${p.line}${p.field ? ` (${p.field})` : ''}: ${p.reason}\n`);
          fail(EXIT_APP_ERROR, `error [${error.code}]: ${error.message}`);
        }
      }),
    );
}
