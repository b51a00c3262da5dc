import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../clock.js';
import { BROWSER_TEST_TIMEOUT_MS, chromiumAvailable, consoleErrors } from './browser.js';
import { type DemoServer, database, shotAndAxe, startDemoServer } from './demo-server.js';

const SECRET = 'seller-browser-test-merchant-secret';
/** The first product of the demo seller's store (src/seed/demo-program.ts): it has a product rate. */
const PRODUCT_ID = '1005000000000';

describe.runIf(chromiumAvailable())(`the seller center in Chromium [${database}]`, () => {
  let world: DemoServer;
  let base: string;
  let browser: Browser;
  let operatorToken: string;

  beforeAll(async () => {
    world = await startDemoServer(['--demo', '--no-jobs'], { AFFNET_MERCHANT_SECRET: SECRET });
    ({ base, browser } = world);
    const issued = await world.sandbox.run(
      ['operator', 'token', '--email', 'admin@affnet.local', '--json'],
      world.env,
    );
    operatorToken = (JSON.parse(issued.stdout) as { token: string }).token;
  });

  afterAll(async () => {
    await world?.stop();
  });

  const shot = (page: Page, name: string) => shotAndAxe(page, `seller-${name}`, name);
  const nav = (page: Page, name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

  /** The demo server's operator controls (src/demo/routes.ts). */
  const demo = async (path: string, body?: unknown) => {
    const res = await fetch(`${base}/api/operator/v1/demo${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${operatorToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { now: string };
  };

  /** A buyer follows the affiliate's link (a tracked click), then buys one on the demo market. */
  async function buyThroughLink(link: string): Promise<string> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const buyer = await context.newPage();
    await buyer.goto(link);
    await buyer.waitForURL(/\/market\/item\/.+\.html\?aff_click_id=/);
    await demo('/clicks/flush', {});
    await buyer.getByLabel('Quantity').fill('1');
    await buyer.getByRole('button', { name: 'Buy now' }).click();
    await buyer.waitForURL(/\/market\/orders\/mkt-[0-9a-z]{26}\?done=bought$/);
    const orderId = /mkt-[0-9a-z]{26}/.exec(buyer.url())?.[0] as string;
    await expect.poll(() => buyer.getByText('affnet accepted it').count()).toBeGreaterThan(0);
    await context.close();
    return orderId;
  }

  it('raises a product rate from a future day: the order paid before keeps the old rate, the one after gets the new one', {
    timeout: BROWSER_TEST_TIMEOUT_MS,
  }, async () => {
    // The seller logs in and finds the product on its Products page.
    const seller = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const sellerErrors = consoleErrors(seller);
    await seller.goto(`${base}/login`);
    await seller.getByLabel('Email').fill('seller@affnet.local');
    await seller.getByLabel('Password').fill('demo-seller');
    await seller.getByRole('button', { name: 'Log in' }).click();
    await seller.waitForURL(/\/seller$/);
    await expect.poll(() => seller.getByText('In the program').count()).toBeGreaterThan(0);
    await shot(seller, 'overview');
    await nav(seller, 'Products').click();
    await seller.waitForURL(/\/seller\/products$/);
    const row = seller.locator('tr', { has: seller.locator(`code:text-is("${PRODUCT_ID}")`) });
    const oldRate = ((await row.locator('.rate-now').textContent()) ?? '').trim();
    expect(oldRate).toMatch(/^\d+\.\d\d%$/);
    expect(oldRate).not.toBe('25.00%');
    await shot(seller, 'products');

    // From the day after tomorrow (server time), 25%.
    const serverNow = Date.parse((await demo('/clock')).now);
    const day = new Date(serverNow + 2 * DAY_MS).toISOString().slice(0, 10);
    await row.getByLabel('New rate (%)').fill('25');
    await row.getByLabel('From (UTC day)').fill(day);
    await row.getByRole('button', { name: 'Set' }).click();
    await seller.waitForURL(new RegExp(`/seller/products/${PRODUCT_ID}\\?done=rate$`));
    await expect.poll(() => seller.getByText('Rate recorded.').count()).toBe(1);
    await expect.poll(() => seller.getByText(`rate 25.00% from ${day} 00:00 UTC`).count()).toBe(1);
    await expect.poll(() => seller.getByText(`Rate now ${oldRate}`).count()).toBe(1);
    await shot(seller, 'product');

    // A past day is refused on the form, with the reason.
    await seller.getByLabel('Rate (%)').first().fill('30');
    await seller.getByLabel('From (UTC day)').first().fill('2020-01-01');
    await seller.getByRole('button', { name: 'Set' }).first().click();
    await expect.poll(() => seller.getByText(/in the past/).count()).toBe(1);

    // The demo affiliate makes a link to the product.
    const affiliate = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await affiliate.goto(`${base}/login`);
    await affiliate.getByLabel('Email').fill('demo@affnet.local');
    await affiliate.getByLabel('Password').fill('demo-affiliate');
    await affiliate.getByRole('button', { name: 'Log in' }).click();
    await affiliate.waitForURL(/\/dashboard/);
    await nav(affiliate, 'Links').click();
    await affiliate.getByLabel('Marketplace URLs').fill(`${base}/market/item/${PRODUCT_ID}.html`);
    await affiliate.getByRole('button', { name: 'Get links' }).click();
    const link = (await affiliate
      .locator('#made ~ .link-out code, section[aria-labelledby="made"] code')
      .first()
      .textContent()) as string;
    expect(link).toMatch(/\/c\/[A-Za-z0-9]+$/);

    // Bought before the day: the old rate. Then the server's clock moves three days on.
    const before = await buyThroughLink(link);
    await demo('/clock', { advance_seconds: 3 * 86_400 });
    const after = await buyThroughLink(link);

    // Both on the seller's orders page, each with the rate it was locked at.
    await nav(seller, 'Reports').click();
    await seller.waitForURL(/\/seller\/reports$/);
    await shot(seller, 'reports');
    await seller.getByRole('link', { name: 'Orders', exact: true }).click();
    await seller.waitForURL(/\/seller\/orders/);
    const rateOf = (orderId: string) =>
      seller.locator(`tr[data-order="${orderId}"] td.rate`).textContent();
    await expect.poll(() => rateOf(before)).toBe(oldRate);
    await expect.poll(() => rateOf(after)).toBe('25.00%');
    await shot(seller, 'orders');
    await seller.goto(`${base}/seller/reports?by=product`);
    await expect
      .poll(() => seller.locator('tr', { hasText: PRODUCT_ID }).locator('td').nth(1).textContent())
      .toBe('2');
    await nav(seller, 'Statement').click();
    await shot(seller, 'statement');
    expect(sellerErrors).toEqual([]);
    const audit = await world.sandbox.run(['ledger', 'audit'], world.env);
    expect(audit.stdout).toMatch(/the ledger balances/);
    expect(audit.code).toBe(0);
  });
});
