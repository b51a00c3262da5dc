import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_TEST_TIMEOUT_MS, chromiumAvailable, consoleErrors } from './browser.js';
import { type DemoServer, database, shotAndAxe, startDemoServer } from './demo-server.js';

const SECRET = 'browser-test-merchant-secret';

describe.runIf(chromiumAvailable())(`the affiliate portal in Chromium [${database}]`, () => {
  let world: DemoServer;
  let base: string;
  let browser: Browser;
  let product: { product_id: string; url: string; price_minor: number };

  beforeAll(async () => {
    world = await startDemoServer([], { AFFNET_MERCHANT_SECRET: SECRET });
    ({ base, browser } = world);
    const listed = await world.sandbox.run(['catalog', 'list', '--limit', '1', '--json']);
    product = JSON.parse(listed.stdout.trim().split('\n')[0] as string);
  });

  afterAll(async () => {
    await world?.stop();
  });

  async function merchant(type: string, data: Record<string, unknown>) {
    const body = JSON.stringify({
      id: `evt-${type}-${data.order_id}`,
      type,
      created_at: new Date().toISOString(),
      data,
    });
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex');
    const res = await fetch(`${base}/api/merchant/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'affnet-signature': `t=${t},v1=${v1}` },
      body,
    });
    const answer = await res.text();
    expect(`${type} ${res.status} ${answer}`).toMatch(new RegExp(`^${type} 200 `));
  }

  const nav = (page: Page, name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

  /** A screenshot of the page, and its accessibility checked by axe-core. */
  const shot = (page: Page, name: string) => shotAndAxe(page, name, name);

  it('signs up, builds a link, follows it, earns, withdraws, and sees a refused transfer restored with its reason', {
    timeout: BROWSER_TEST_TIMEOUT_MS,
  }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = consoleErrors(page);
    // The marketplace is not on this machine: its pages are answered here.
    await page.goto(`${base}/`);
    await shot(page, 'home');
    await page.getByRole('link', { name: 'Join the program' }).first().click();
    await page.getByLabel('Email').fill('not an email');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create my account' }).click();
    await expect.poll(() => page.locator('.error').count()).toBeGreaterThan(1);
    expect(await page.getByLabel('Email').inputValue()).toBe('not an email');
    await shot(page, 'sign-up-errors');

    await page.getByLabel('Email').fill('lena@reviews.example');
    await page.getByLabel('Password').fill('a long enough passphrase');
    await page.getByLabel('Country').fill('DE');
    await page.getByLabel('Your website or channel').fill('https://reviews.example');
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.waitForURL(/\/dashboard/);
    await shot(page, 'dashboard-new');

    await nav(page, 'Links').click();
    await page.getByLabel('Marketplace URLs').fill(product.url);
    await page.getByRole('button', { name: 'Get links' }).click();
    const promotionLink = (await page
      .locator('#made ~ .link-out code, section[aria-labelledby="made"] code')
      .first()
      .textContent()) as string;
    expect(promotionLink).toMatch(/\/c\/[A-Za-z0-9]+$/);
    await shot(page, 'links');

    // The link is opened by the browser's own request context, which keeps the cookie it
    // sets, and stops at the redirect: this test's server has no demo market
    // (market.browser.test.ts walks that path).
    const opened = await page.request.get(promotionLink, { maxRedirects: 0 });
    expect(opened.status()).toBe(302);
    const location = new URL(opened.headers().location as string);
    expect(location.origin + location.pathname).toBe(product.url);
    const clickId = location.searchParams.get('aff_click_id') as string;
    expect(clickId).toMatch(/^[0-9a-z]{26}$/);

    // The click is written within the flush window; the buyer pays after it is stored.
    await page.goto(`${base}/dashboard`);
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator('tr[data-period="today"] [data-stat="clicks"]').textContent();
      })
      .toBe('1');
    const orderId = 'browser-1';
    const quantity = Math.ceil(500_000 / product.price_minor);
    await merchant('order.paid', {
      order_id: orderId,
      sub_orders: [
        {
          sub_order_id: `${orderId}-1`,
          product_id: product.product_id,
          quantity,
          unit_price_minor: product.price_minor,
          currency: 'USD',
        },
      ],
      buyer_id: 'buyer-browser',
      is_new_buyer: false,
      ship_to_country: 'DE',
      shipping_method: 'DHL',
      click_id: clickId,
      paid_at: new Date().toISOString(),
    });

    await page.reload();
    await expect.poll(() => page.getByRole('link', { name: orderId }).count()).toBe(1);
    const estimated = await page.locator('[data-balance="estimated"]').textContent();
    expect(estimated).not.toMatch(/^0\.00 /);
    await shot(page, 'dashboard-order');

    await nav(page, 'Orders').click();
    await page.getByRole('link', { name: orderId }).click();
    await expect.poll(() => page.getByText('How the commission was reached').count()).toBe(1);
    await shot(page, 'order');

    await merchant('order.receipt_confirmed', {
      order_id: orderId,
      confirmed_at: new Date().toISOString(),
    });
    // Paid seconds after the click: held for review (click injection) until the operator
    // releases it; then the next job run settles it.
    await page.reload();
    await expect.poll(() => page.getByText('Held for review').count()).toBeGreaterThan(0);
    const flags = await world.sandbox.run(['fraud', 'flags', '--open', '--json']);
    const flag = flags.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; orderId: string })
      .find((f) => f.orderId === orderId);
    if (!flag) throw new Error(`no open flag for ${orderId}: ${flags.stdout}`);
    expect((await world.sandbox.run(['fraud', 'release', flag.id])).code).toBe(0);
    const later = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const jobs = await world.sandbox.run(['jobs', 'run', '--now', later]);
    expect(jobs.stdout).toMatch(/1 sub-orders settled/);

    await nav(page, 'Payouts').click();
    const available = (await page.locator('[data-balance="available"]').textContent()) as string;
    expect(available).not.toMatch(/^0\.00 /);
    await page.getByLabel('Account holder').fill('Lena Berger');
    await page.getByLabel('IBAN').fill('DE89 3704 0044 0532 0130 00');
    await page.getByLabel('Country of the account').fill('DE');
    await page.getByRole('button', { name: 'Save the account' }).click();
    await expect.poll(() => page.getByText('Bank account saved.').count()).toBe(1);

    await page.getByLabel(/^Amount/).fill('1000000');
    await page.getByRole('button', { name: 'See the fee' }).click();
    await expect.poll(() => page.locator('.error').count()).toBe(1);
    const amount = available.split(' ')[0] as string;
    await page.getByLabel(/^Amount/).fill(amount);
    await page.getByRole('button', { name: 'See the fee' }).click();
    await page.getByRole('button', { name: /^Withdraw / }).click();
    await expect.poll(() => page.getByText('Withdrawal requested').count()).toBe(1);
    expect(await page.locator('[data-balance="available"]').textContent()).toMatch(/^0\.00 /);
    await shot(page, 'payouts-withdrawn');

    // The operator makes the bank file and uploads the bank's refusal, in the operatorPage.
    const operatorPage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await operatorPage.goto(`${base}/login`);
    await operatorPage.getByLabel('Email').fill('admin@affnet.local');
    await operatorPage.getByLabel('Password').fill('demo-admin');
    await operatorPage.getByRole('button', { name: 'Log in' }).click();
    await operatorPage.waitForURL(/\/console$/);
    await operatorPage
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Payouts' })
      .click();
    await operatorPage.getByLabel('Bank file for').selectOption('csv');
    await operatorPage.getByRole('button', { name: 'Create bank file' }).click();
    const downloading = operatorPage.waitForEvent('download');
    await operatorPage.getByRole('link', { name: 'Download' }).first().click();
    const wires = fs.readFileSync((await (await downloading).path()) as string, 'utf8');
    const withdrawalId = (wires.split('\n')[1] as string).split(',')[0] as string;
    expect(withdrawalId).toMatch(/^wd-/);
    await operatorPage.getByLabel('Results file (CSV)').setInputFiles({
      name: 'results.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        `end_to_end_id,status,reason_code,reason_text,date\n${withdrawalId},rejected,AC04,Closed account number,${later.slice(0, 10)}\n`,
      ),
    });
    await operatorPage.getByRole('button', { name: 'Import results' }).click();
    await expect.poll(() => operatorPage.getByText(/1 failed/).count()).toBeGreaterThan(0);
    await shot(operatorPage, 'console-results-imported');
    await operatorPage.close();

    await page.reload();
    expect(await page.locator('[data-balance="available"]').textContent()).toBe(available);
    await expect.poll(() => page.getByText('Closed account number').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByText(/Needs a new account/).count()).toBe(1);
    await shot(page, 'payouts-refused');

    await page.setViewportSize({ width: 390, height: 844 });
    await nav(page, 'Dashboard').click();
    await shot(page, 'dashboard-phone');
    for (const [name, path] of [
      ['products', '/products'],
      ['settings', '/settings'],
      ['orders', '/orders'],
    ]) {
      await page.goto(`${base}${path}`);
      await shot(page, `${name}-phone`);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
