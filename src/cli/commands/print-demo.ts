import cliProgress from 'cli-progress';
import { publicBaseUrl } from '../../config.js';
import type { AppContext } from '../../context.js';
import { type DemoSeedResult, seedDemo } from '../../seed/seed-demo.js';

/**
 * Seeds the demo program with a progress bar on stderr, then prints what was made, how
 * long it took, and the accounts to log in with.
 */
export async function runDemoSeed(ctx: AppContext, options: { days: number }): Promise<void> {
  const bar = new cliProgress.SingleBar(
    {
      format: 'seeding the demo [{bar}] {percentage}% | {step} | {duration}s',
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  bar.start(1, 0, { step: 'catalog' });
  let seeded: DemoSeedResult;
  try {
    seeded = await seedDemo(ctx, {
      baseUrl: publicBaseUrl(ctx.config),
      days: options.days,
      onProgress: (done, total, step) => {
        bar.setTotal(total);
        bar.update(done, { step });
      },
    });
  } finally {
    bar.stop();
  }
  printDemoCredentials(seeded, (performance.now() - started) / 1000);
}

export function printDemoCredentials(seeded: DemoSeedResult, seconds: number): void {
  const h = seeded.history;
  const lines = [
    `demo program seeded in ${seconds.toFixed(1)} s: ${seeded.products} products in ${seeded.categories} categories from ${seeded.stores} stores, ${seeded.affiliates} affiliates`,
    ...(h
      ? [
          `  ${h.days} days of history: ${h.clicks} clicks, ${h.orders} orders (${h.events} merchant events), ${h.payoutRuns} payout runs with ${h.withdrawals} withdrawals, ${h.failedTransfers} refused by the bank`,
        ]
      : []),
    `  operator:  ${seeded.operator.email} / ${seeded.operator.password}`,
    `  seller:    ${seeded.seller.email} / ${seeded.seller.password}  (seller center at /seller: store ${seeded.seller.storeId})`,
    `  affiliate: ${seeded.affiliate.email} / ${seeded.affiliate.password}  (id ${seeded.affiliate.id})`,
    `             app_key ${seeded.affiliate.appKey}  app_secret ${seeded.affiliate.appSecret}  tracking id ${seeded.affiliate.trackingId}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
