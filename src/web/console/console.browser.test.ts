import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator } from '../../auth/create-operator.js';
import { exportBatch } from '../../payouts/export-batch.js';
import { runPayouts } from '../../payouts/run-payouts.js';
import { type App, buildApp } from '../../server.js';
import { updateSettings } from '../../settings/update-settings.js';
import { createTestContext, type TestContext } from '../../test/context.js';
import { seedAffiliate } from '../../test/factories.js';
import { accept, paidEvent, seedClickedProduct } from '../../test/orders.js';
import { seedPayee } from '../../test/payouts.js';
import { DEBTOR, tempFile } from '../../test/withdrawals.js';
import {
  accessibilityProblems,
  BROWSER_TEST_TIMEOUT_MS,
  chromiumAvailable,
  consoleErrors,
  launchChromium,
} from '../browser/browser.js';

const SHOTS = path.resolve('test-results');
const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 900 };

/**
 * Every console page in Chromium, on a phone and on a desktop: no serious accessibility
 * finding, no console error (a CSP violation), nothing wider than the screen.
 */
describe.runIf(chromiumAvailable())('the operator console in Chromium [sqlite]', () => {
  let ctx: TestContext & { close(): Promise<void> };
  let app: App;
  let base: string;
  let browser: Browser;
  let links: { affiliate: string; store: string; order: string };

  beforeAll(async () => {
    ctx = await createTestContext('sqlite');
    await updateSettings(ctx, { values: { settlementCurrency: 'EUR', ...DEBTOR } });
    const seeded = await seedClickedProduct(ctx);
    await accept(
      ctx,
      paidEvent(ctx, {
        orderId: 'browser-order-with-a-long-identifier-1',
        productId: seeded.product.productId,
        clickId: seeded.clickId,
        currency: 'EUR',
        subOrders: 2,
      }),
    );
    const pending = await seedAffiliate(ctx);
    await seedPayee(ctx, { earnedMinor: 12_345n, currency: 'EUR' });
    ctx.clock.set('2026-04-02T08:00:00.000Z');
    await runPayouts(ctx, '2026-03');
    await exportBatch(ctx, { format: 'sepa', file: tempFile('browser.xml') });
    await createOperator(ctx, { email: 'ops@browser.example', password: 'operator passphrase' });
    links = {
      affiliate: `/console/affiliates/${pending.id}`,
      store: `/console/sellers/${seeded.storeId}`,
      order: '/console/orders/browser-order-with-a-long-identifier-1',
    };
    app = await buildApp(ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    fs.mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.close();
  });

  async function check(page: Page, name: string, errors: string[]) {
    const width = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
          .document.documentElement.scrollWidth,
    );
    const viewport = page.viewportSize()?.width ?? 0;
    await page.screenshot({ path: path.join(SHOTS, `console-${name}.png`), fullPage: true });
    expect({ page: name, width: width <= viewport }).toEqual({ page: name, width: true });
    expect({ page: name, problems: await accessibilityProblems(page) }).toEqual({
      page: name,
      problems: [],
    });
    expect({ page: name, errors }).toEqual({ page: name, errors: [] });
  }

  it('shows every page whole on a phone and on a desktop', {
    timeout: BROWSER_TEST_TIMEOUT_MS,
  }, async () => {
    for (const [device, viewport] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const errors = consoleErrors(page);
      await page.goto(`${base}/login`);
      await page.getByLabel('Email').fill('ops@browser.example');
      await page.getByLabel('Password').fill('operator passphrase');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(`${base}/console`);
      for (const [name, url] of [
        ['overview', '/console'],
        ['program', '/console/program'],
        ['affiliates', '/console/affiliates'],
        ['affiliate', links.affiliate],
        ['sellers', '/console/sellers'],
        ['store', links.store],
        ['orders', '/console/orders'],
        ['order', links.order],
        ['payouts', '/console/payouts'],
        ['preview', '/console/payouts/preview?period=2026-03'],
        ['ledger', '/console/ledger'],
      ] as const) {
        await page.goto(`${base}${url}`);
        await check(page, `${device}-${name}`, errors);
      }
      // A refused form: the errors sit next to their fields, and the page still fits.
      await page.goto(`${base}/console/program`);
      await page.getByLabel('Attribution window (days)').fill('0');
      await page.getByLabel('Minimum withdrawal').fill('ten euros');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await expect.poll(() => page.getByText('Nothing was changed').count()).toBe(1);
      await check(page, `${device}-program-refused`, errors);
      await page.goto(`${base}/console/payouts`);
      await page.getByLabel('Results file (CSV)').setInputFiles({
        name: 'results.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(
          'end_to_end_id,status,reason_code,reason_text,date\nwd-x,paid,,,2026-04-03\n',
        ),
      });
      await page.getByRole('button', { name: 'Import results' }).click();
      await expect.poll(() => page.getByText('Nothing was applied.').count()).toBe(1);
      await check(page, `${device}-results-refused`, errors);
      await context.close();
    }
  });
});
