import type { DemoSeedResult } from '../../seed/seed-demo.js';

export function printDemoCredentials(seeded: DemoSeedResult): void {
  const lines = [
    `demo program seeded: ${seeded.products} products in ${seeded.categories} categories from ${seeded.stores} stores`,
    `  operator:  ${seeded.operator.email} / ${seeded.operator.password}`,
    `  affiliate: ${seeded.affiliate.email} / ${seeded.affiliate.password}  (id ${seeded.affiliate.id})`,
    `             app_key ${seeded.affiliate.appKey}  app_secret ${seeded.affiliate.appSecret}  tracking id ${seeded.affiliate.trackingId}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
