import type { Command } from 'commander';
import { issueApiCredentials } from '../../affiliates/api-credentials.js';
import { API_SCOPES, issueApiKey } from '../../affiliates/api-keys.js';
import { setBankAccount } from '../../affiliates/bank-accounts.js';
import { linkBuyerAccount } from '../../affiliates/buyer-accounts.js';
import { setAutoWithdraw } from '../../affiliates/payout-accounts.js';
import { getAffiliate } from '../../affiliates/queries.js';
import { type AffiliateStatus, affiliateStatuses } from '../../affiliates/schema.js';
import { setAffiliateStatus } from '../../affiliates/set-affiliate-status.js';
import { signUp } from '../../affiliates/sign-up.js';
import { createTrackingId } from '../../affiliates/tracking-ids.js';
import { MAX_STATEMENT_PAGE } from '../../ledger/account-statement.js';
import { table } from '../../lib/text-table.js';
import { getBalances } from '../../payouts/balances.js';
import { listWithdrawals, MAX_WITHDRAWAL_PAGE } from '../../payouts/queries.js';
import { getStatement } from '../../payouts/statement.js';
import { EXIT_CONFIG, fail, parseIntOption, printJson, withContext } from '../run.js';

export function registerAffiliateCommands(program: Command): void {
  const affiliate = program.command('affiliate').description('affiliate accounts');

  affiliate
    .command('create')
    .description('create an affiliate with its default tracking id and API credentials')
    .requiredOption('--email <email>')
    .requiredOption('--website <url>', 'website or app URL')
    .requiredOption('--country <cc>', 'two-letter country code')
    .option('--password <password>', 'lets the affiliate log in to the portal')
    .option('--approve', 'approve at once instead of waiting for review')
    .option('--json', 'print JSON')
    .action(
      (o: {
        email: string;
        website: string;
        country: string;
        password?: string;
        approve?: boolean;
        json?: boolean;
      }) =>
        withContext(async (ctx) => {
          const created = await signUp(
            ctx,
            { email: o.email, password: o.password, country: o.country, websiteUrl: o.website },
            { approve: o.approve ?? false },
          );
          const credentials = await issueApiCredentials(ctx, created.id);
          const out = {
            id: created.id,
            email: created.email,
            status: created.status,
            app_key: credentials.appKey,
            app_secret: credentials.appSecret,
            tracking_id: created.trackingId,
          };
          if (o.json) printJson(out);
          else {
            process.stdout.write(`affiliate ${out.id} (${out.email}) is ${out.status}\n`);
            process.stdout.write(`tracking id: ${out.tracking_id}\napp_key:     ${out.app_key}\n`);
            process.stdout.write(`app_secret:  ${out.app_secret}   (shown once: store it now)\n`);
          }
        }),
    );

  affiliate
    .command('status <id>')
    .description('approve, suspend, reinstate or ban an affiliate')
    .requiredOption('--set <status>', affiliateStatuses.join(' | '))
    .option('--reason <text>', 'shown to the affiliate')
    .option('--json', 'print JSON')
    .action((id: string, o: { set: string; reason?: string; json?: boolean }) =>
      withContext(async (ctx) => {
        if (!(affiliateStatuses as readonly string[]).includes(o.set)) {
          fail(EXIT_CONFIG, `--set must be one of ${affiliateStatuses.join(', ')}`);
        }
        const result = await setAffiliateStatus(ctx, id, o.set as AffiliateStatus, o.reason);
        if (o.json) printJson(result);
        else process.stdout.write(`affiliate ${result.id} is now ${result.status}\n`);
      }),
    );

  affiliate
    .command('tracking-id <id> <name>')
    .description('add a named tracking id')
    .option('--json', 'print JSON')
    .action((id: string, name: string, o: { json?: boolean }) =>
      withContext(async (ctx) => {
        const created = await createTrackingId(ctx, id, name);
        if (o.json) printJson(created);
        else process.stdout.write(`tracking id ${created.name} added\n`);
      }),
    );

  affiliate
    .command('credentials <id>')
    .description('issue a new app_key / app_secret pair (the previous pair stops working)')
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) =>
      withContext(async (ctx) => {
        const c = await issueApiCredentials(ctx, id);
        if (o.json) printJson({ app_key: c.appKey, app_secret: c.appSecret });
        else
          process.stdout.write(
            `app_key:    ${c.appKey}\napp_secret: ${c.appSecret}   (shown once)\n`,
          );
      }),
    );

  affiliate
    .command('api-key <id>')
    .description('issue a REST API key for /api/v1 (shown once)')
    .option('--scopes <list>', `comma-separated: ${API_SCOPES.join(', ')}`, API_SCOPES.join(','))
    .option('--json', 'print JSON')
    .action((id: string, o: { scopes: string; json?: boolean }) =>
      withContext(async (ctx) => {
        const issued = await issueApiKey(
          ctx,
          id,
          o.scopes.split(',').map((s) => s.trim()),
        );
        if (o.json) printJson(issued);
        else
          process.stdout.write(
            `API key ${issued.id} (${issued.scopes.join(' ')}):\n${issued.key}   (shown once: store it now)\n`,
          );
      }),
    );

  affiliate
    .command('bank')
    .description('set the payout bank account: an IBAN, or an account number with SWIFT/BIC')
    .requiredOption('--affiliate <id>')
    .option('--iban <iban>')
    .option('--bic <bic>', 'with --iban, optional')
    .option('--account <number>')
    .option('--swift <bic>', 'with --account')
    .requiredOption('--holder <name>')
    .requiredOption('--country <cc>')
    .option('--json', 'print JSON')
    .action(
      (o: {
        affiliate: string;
        iban?: string;
        bic?: string;
        account?: string;
        swift?: string;
        holder: string;
        country: string;
        json?: boolean;
      }) =>
        withContext(async (ctx) => {
          if (Boolean(o.iban) === Boolean(o.account))
            fail(EXIT_CONFIG, 'give either --iban or --account');
          if (o.account && !o.swift) fail(EXIT_CONFIG, '--account needs --swift');
          const input = o.iban
            ? {
                iban: o.iban,
                holderName: o.holder,
                country: o.country,
                ...(o.bic ? { bic: o.bic } : {}),
              }
            : {
                accountNumber: o.account as string,
                swift: o.swift as string,
                holderName: o.holder,
                country: o.country,
              };
          const account = await setBankAccount(ctx, o.affiliate, input);
          if (o.json) printJson(account);
          else
            process.stdout.write(
              `bank account ${account.accountMasked} (${account.kind}) is now active\n`,
            );
        }),
    );
  affiliate
    .command('balance <id>')
    .description('estimated, available, in transit, paid out and negative carry, in minor units')
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) =>
      withContext(async (ctx) => {
        const b = await getBalances(ctx, id);
        const out = {
          affiliate_id: id,
          currency: b.currency,
          estimated: b.estimatedMinor,
          available: b.availableMinor,
          in_transit: b.inTransitMinor,
          paid_out: b.paidOutMinor,
          fees_paid: b.feesPaidMinor,
          negative_carry: b.negativeCarryMinor,
        };
        if (o.json) printJson(out);
        else
          process.stdout.write(
            `${id} (${b.currency}, minor units): estimated ${b.estimatedMinor}, available ${b.availableMinor}, in transit ${b.inTransitMinor}, paid out ${b.paidOutMinor} (fees ${b.feesPaidMinor}), negative carry ${b.negativeCarryMinor}\n`,
          );
      }),
    );

  affiliate
    .command('statement <id>')
    .description('every ledger movement of the affiliate, with its explanation')
    .option('--after <entry>', 'the page after this entry id')
    .option('--limit <n>', 'entries per page (at most 500)', '100')
    .option('--json', 'print JSON')
    .action((id: string, o: { after?: string; limit: string; json?: boolean }) =>
      withContext(async (ctx) => {
        const limit = parseIntOption('--limit', o.limit, 1, MAX_STATEMENT_PAGE);
        const s = await getStatement(ctx, id, { afterId: o.after, limit });
        if (o.json) {
          printJson(s);
          return;
        }
        const rows: (string | bigint)[][] = [
          ['date', 'movement', 'estimated', 'available', 'in transit', 'explanation'],
          ...s.entries.map((e) => [
            e.createdAt.slice(0, 10),
            `${e.code} (${e.kind})`,
            e.estimatedDeltaMinor,
            e.availableDeltaMinor,
            e.inTransitDeltaMinor,
            e.explanation ?? '',
          ]),
        ];
        process.stdout.write(`${id}, ${s.currency} in minor units\n${table(rows)}\n`);
        if (s.nextCursor) process.stdout.write(`more: --after ${s.nextCursor}\n`);
      }),
    );

  affiliate
    .command('withdrawals <id>')
    .description('the affiliate’s withdrawals, newest first: state, dates, amounts, fee, reason')
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) =>
      withContext(async (ctx) => {
        await getAffiliate(ctx.db, id);
        const list = await listWithdrawals(ctx.db, id, { limit: MAX_WITHDRAWAL_PAGE });
        if (o.json) {
          printJson(list);
          return;
        }
        const rows: (string | bigint)[][] = [
          ['id', 'state', 'requested', 'amount', 'fee', 'net', 'reason'],
          ...list.map((w) => [
            w.id,
            w.stateLabel,
            w.requestedAt.slice(0, 10),
            w.amountMinor,
            w.feeMinor,
            w.netMinor,
            [w.reasonCode, w.reasonText].filter(Boolean).join(': '),
          ]),
        ];
        process.stdout.write(`${table(rows)}\n`);
      }),
    );

  affiliate
    .command('autopay <id>')
    .description('whether monthly payout runs pay the affiliate out (on by default)')
    .option('--on')
    .option('--off')
    .action((id: string, o: { on?: boolean; off?: boolean }) =>
      withContext(async (ctx) => {
        if (Boolean(o.on) === Boolean(o.off)) fail(EXIT_CONFIG, 'give either --on or --off');
        await setAutoWithdraw(ctx, id, Boolean(o.on));
        process.stdout.write(`monthly payouts for ${id}: ${o.on ? 'on' : 'off'}\n`);
      }),
    );

  affiliate
    .command('buyer')
    .description('link a marketplace buyer account to the affiliate: its orders are self-purchases')
    .requiredOption('--affiliate <id>')
    .requiredOption('--buyer-id <id>')
    .action((o: { affiliate: string; buyerId: string }) =>
      withContext(async (ctx) => {
        await linkBuyerAccount(ctx, { affiliateId: o.affiliate, buyerId: o.buyerId });
        process.stdout.write(
          `buyer ${o.buyerId} belongs to ${o.affiliate}: its orders earn nothing\n`,
        );
      }),
    );
}
