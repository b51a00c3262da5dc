import type { Command } from 'commander';
import { publicBaseUrl } from '../../config.js';
import { createLinks } from '../../tracking/create-links.js';
import { linkTypes, MAX_LINKS_PER_CALL } from '../../tracking/schema.js';
import { setLinkStatus } from '../../tracking/set-link-status.js';
import { EXIT_CONFIG, fail, printJson, withContext } from '../run.js';

export function registerLinkCommands(program: Command): void {
  const link = program.command('link').description('tracking links');

  link
    .command('create')
    .description(`make tracking links (up to ${MAX_LINKS_PER_CALL} URLs: repeat --url)`)
    .requiredOption('--affiliate <id>')
    .requiredOption(
      '--url <url>',
      'a product, store or search URL of the marketplace',
      (url: string, all: string[] = []) => [...all, url],
    )
    .option('--tracking-id <name>', 'one of the affiliate’s tracking ids', 'default')
    .option('--type <type>', linkTypes.join(' | '), 'normal')
    .option('--json', 'print JSON (one line per link)')
    .action(
      (o: { affiliate: string; url: string[]; trackingId: string; type: string; json?: boolean }) =>
        withContext(async (ctx) => {
          if (!(linkTypes as readonly string[]).includes(o.type))
            fail(EXIT_CONFIG, `--type must be one of ${linkTypes.join(', ')}`);
          const links = await createLinks(
            ctx,
            {
              affiliateId: o.affiliate,
              urls: o.url,
              trackingId: o.trackingId,
              type: o.type as (typeof linkTypes)[number],
            },
            publicBaseUrl(ctx.config),
          );
          for (const made of links) {
            if (o.json) {
              printJson({
                code: made.code,
                promotion_link: made.promotionLink,
                url: made.url,
                kind: made.kind,
                product_id: made.productId,
                type: made.type,
                tracking_id: made.trackingId,
                created: made.created,
              });
            } else {
              process.stdout.write(
                `${made.promotionLink}\t${made.url}${made.created ? '' : '\t(existing)'}\n`,
              );
            }
          }
        }),
    );

  for (const [name, status] of [
    ['disable', 'disabled'],
    ['enable', 'active'],
  ] as const) {
    link
      .command(`${name} <code>`)
      .description(
        name === 'disable' ? 'switch a link off: its code answers 404' : 'switch a link back on',
      )
      .action((code: string) =>
        withContext(async (ctx) => {
          const result = await setLinkStatus(ctx, code, status);
          process.stdout.write(`link ${result.code} is ${result.status}\n`);
        }),
      );
  }
}
