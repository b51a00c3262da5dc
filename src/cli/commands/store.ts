import type { Command } from 'commander';
import { publicBaseUrl } from '../../config.js';
import { exportStorefront } from '../../storefront/export-storefront.js';
import { printJson, withContext } from '../run.js';

export function registerStoreCommands(program: Command): void {
  const store = program.command('store').description("affiliates' hosted stores (/s/<slug>)");

  store
    .command('export')
    .description(
      'write a static copy of a store (HTML, CSS, a search script) that any web host serves',
    )
    .requiredOption('--slug <slug>', 'the store at /s/<slug>')
    .requiredOption('--out <dir>', 'a new or empty folder, or an earlier copy to replace')
    .option(
      '--site-url <url>',
      'where the copy will be served: canonical links and an absolute sitemap (else relative)',
    )
    .option('--json', 'print the summary as JSON')
    .action((o: { slug: string; out: string; siteUrl?: string; json?: boolean }) =>
      withContext(async (ctx) => {
        const result = await exportStorefront(ctx, o.slug, o.out, {
          baseUrl: publicBaseUrl(ctx.config),
          siteUrl: o.siteUrl,
        });
        if (o.json) {
          printJson(result);
          return;
        }
        process.stdout.write(
          `wrote ${result.files} files to ${result.dir}: ${result.products} products, ${result.categories} categories\n`,
        );
        if (result.sitemap === 'relative')
          process.stdout.write(
            'sitemap.xml lists relative addresses: search engines want absolute ones, so pass --site-url <where the copy is served>\n',
          );
      }),
    );
}
