import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { DAY_MS } from '../clock.js';
import { runDueJobs } from '../jobs/run-due-jobs.js';
import { updateSettings } from '../settings/update-settings.js';
import type { TestContext } from './context.js';
import { accept, event, paidEvent, seedClickedProduct } from './orders.js';

export const DEBTOR = {
  payoutDebtorName: 'Affnet Operator GmbH',
  payoutDebtorIban: 'DE02120300000000202051',
  payoutDebtorBic: 'BYLADEM1001',
};
export const RESULTS_HEADER = 'end_to_end_id,status,reason_code,reason_text,date';

/** An affiliate of a euro program with €80.00 of commission settled through the real life cycle. */
let orders = 0;

export async function settledAffiliate(ctx: TestContext) {
  orders += 1;
  const orderId = `p-${orders}`;
  await updateSettings(ctx, { values: { settlementCurrency: 'EUR', ...DEBTOR } });
  const seeded = await seedClickedProduct(ctx);
  await accept(
    ctx,
    paidEvent(ctx, {
      orderId,
      productId: seeded.product.productId,
      clickId: seeded.clickId,
      quantity: 10,
      unitPriceMinor: 10_000,
      currency: 'EUR',
    }),
  );
  await accept(
    ctx,
    event(ctx, 'order.receipt_confirmed', {
      order_id: orderId,
      confirmed_at: ctx.clock.now().toISOString(),
    }),
  );
  ctx.clock.advance(DAY_MS);
  expect(await runDueJobs(ctx)).toMatchObject({ settled: 1 });
  return seeded.affiliate.id;
}

export function tempFile(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'affnet-payouts-')), name);
}

export async function outbox(ctx: TestContext, to: string) {
  return (
    await ctx.db
      .selectFrom('email_outbox')
      .select('kind')
      .where('to_address', '=', to)
      .orderBy('id')
      .execute()
  ).map((e) => e.kind);
}
