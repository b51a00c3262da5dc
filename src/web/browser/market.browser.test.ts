import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_TEST_TIMEOUT_MS, chromiumAvailable, consoleErrors } from './browser.js';
import { type DemoServer, database, shotAndAxe, startDemoServer } from './demo-server.js';

const SECRET = 'market-browser-test-merchant-secret';

describe.runIf(chromiumAvailable())(`the demo market in Chromium [${database}]`, () => {
  let world: DemoServer;
  let base: string;
  let browser: Browser;
  let product: { product_id: string; url: string; title: string };

  beforeAll(async () => {
    // No job runner in the server: the test runs the job itself, as cron would.
    world = await startDemoServer(['--demo', '--no-jobs'], { AFFNET_MERCHANT_SECRET: SECRET });
    ({ base, browser } = world);
    const listed = await world.sandbox.run(['catalog', 'list', '--limit', '1', '--json']);
    product = JSON.parse(listed.stdout.trim().split('\n')[0] as string);
  });

  afterAll(async () => {
    await world?.stop();
  });

  /** A screenshot of the page, and its accessibility checked by axe-core. */
  const shot = (page: Page, name: string) => shotAndAxe(page, `market-${name}`, name);

  const nav = (page: Page, name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

  it("follows an affiliate's link to the market, buys, confirms receipt, and the affiliate sees the commission settle", {
    timeout: BROWSER_TEST_TIMEOUT_MS,
  }, async () => {
    expect(product.url).toBe(`${base}/market/item/${product.product_id}.html`);

    // The demo affiliate makes a link to the product with the portal's link builder.
    const affiliate = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const affiliateErrors = consoleErrors(affiliate);
    await affiliate.goto(`${base}/login`);
    await affiliate.getByLabel('Email').fill('demo@affnet.local');
    await affiliate.getByLabel('Password').fill('demo-affiliate');
    await affiliate.getByRole('button', { name: 'Log in' }).click();
    await affiliate.waitForURL(/\/dashboard/);
    await nav(affiliate, 'Links').click();
    await affiliate.getByLabel('Marketplace URLs').fill(product.url);
    await affiliate.getByRole('button', { name: 'Get links' }).click();
    const promotionLink = (await affiliate
      .locator('#made ~ .link-out code, section[aria-labelledby="made"] code')
      .first()
      .textContent()) as string;
    expect(promotionLink).toMatch(/\/c\/[A-Za-z0-9]+$/);

    // A buyer, in a browser of their own, follows the link and lands on the market.
    const buyerContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const buyer = await buyerContext.newPage();
    const buyerErrors = consoleErrors(buyer);
    await buyer.goto(promotionLink);
    await buyer.waitForURL(/\/market\/item\/.+\.html\?aff_click_id=[0-9a-z]{26}/);
    const clickId = new URL(buyer.url()).searchParams.get('aff_click_id') as string;
    const cookies = await buyerContext.cookies(base);
    expect(cookies.find((c) => c.name === 'affnet_click')?.value).toBe(clickId);
    await expect.poll(() => buyer.getByRole('heading', { name: product.title }).count()).toBe(1);
    await expect.poll(() => buyer.getByText('Demo market').count()).toBeGreaterThan(0);
    await expect.poll(() => buyer.getByText(clickId).count()).toBe(1);
    // The picture is drawn by the market itself.
    const picture = await buyer.request.get(`${base}/market/img/${product.product_id}.svg`);
    expect(picture.headers()['content-type']).toBe('image/svg+xml');
    expect(
      await buyer
        .locator('img.mk-item-picture')
        .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBeGreaterThan(0);
    await shot(buyer, 'item-phone');

    // The click is written within the flush window; the buyer pays after it is stored.
    await affiliate.goto(`${base}/dashboard`);
    await expect
      .poll(async () => {
        await affiliate.reload();
        return affiliate.locator('tr[data-period="today"] [data-stat="clicks"]').textContent();
      })
      .toBe('1');

    await buyer.getByLabel('Quantity').fill('0');
    await buyer.getByRole('button', { name: 'Buy now' }).click();
    await expect.poll(() => buyer.locator('.error').count()).toBe(1);
    await shot(buyer, 'item-error-phone');
    await buyer.getByLabel('Quantity').fill('3');
    await buyer.getByRole('button', { name: 'Buy now' }).click();
    await buyer.waitForURL(/\/market\/orders\/mkt-[0-9a-z]{26}\?done=bought$/);
    const orderId = /mkt-[0-9a-z]{26}/.exec(buyer.url())?.[0] as string;
    await expect.poll(() => buyer.getByText('Thank you').count()).toBe(1);
    await expect.poll(() => buyer.getByText('affnet accepted it').count()).toBe(2);
    await shot(buyer, 'order-phone');

    await buyer.getByRole('button', { name: 'Confirm receipt' }).click();
    await buyer.waitForURL(/\?done=confirm$/);
    await expect.poll(() => buyer.locator('[data-status="received"]').count()).toBe(1);
    expect(await buyer.getByRole('button', { name: 'Confirm receipt' }).count()).toBe(0);
    await buyer.getByRole('link', { name: 'My orders', exact: true }).click();
    await expect.poll(() => buyer.getByText(orderId).count()).toBe(1);
    expect(await buyer.getByRole('link', { name: product.title }).count()).toBe(1);
    await shot(buyer, 'orders-phone');

    // The affiliate sees the order with its estimated commission, receipt confirmed.
    await affiliate.goto(`${base}/dashboard`);
    await expect.poll(() => affiliate.getByRole('link', { name: orderId }).count()).toBe(1);
    expect(await affiliate.locator('[data-balance="estimated"]').textContent()).not.toMatch(
      /^0\.00 /,
    );
    await nav(affiliate, 'Orders').click();
    const row = affiliate.locator('tr', { has: affiliate.getByRole('link', { name: orderId }) });
    await expect.poll(() => row.getByText('Receipt confirmed').count()).toBe(1);
    await expect.poll(() => row.getByText('estimated').count()).toBe(1);
    // Bought seconds after the click: the fraud signals hold it for review (click injection)
    // until the operator releases it.
    await expect.poll(() => row.getByText('Held for review').count()).toBe(1);
    expect((await world.sandbox.run(['jobs', 'run'])).stdout).toMatch(/0 sub-orders settled/);
    const flags = await world.sandbox.run(['fraud', 'flags', '--open', '--json']);
    const flag = flags.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; orderId: string; signal: string })
      .find((f) => f.orderId === orderId);
    if (!flag) throw new Error(`no open flag for ${orderId}: ${flags.stdout}`);
    expect(flag.signal).toBe('click_injection');
    expect(
      (await world.sandbox.run(['fraud', 'release', flag.id, '--note', 'a real buyer'])).code,
    ).toBe(0);

    // The job (cron's `affnet jobs run`, on the same database) settles it.
    const jobs = await world.sandbox.run(['jobs', 'run']);
    expect(jobs.stdout).toMatch(/1 sub-orders settled/);
    await affiliate.reload();
    await expect.poll(() => row.getByText('Settled').count()).toBe(1);
    await expect.poll(() => row.getByText('final').count()).toBe(1);
    await nav(affiliate, 'Payouts').click();
    expect(await affiliate.locator('[data-balance="available"]').textContent()).not.toMatch(
      /^0\.00 /,
    );

    // The market's other pages, on a wide screen.
    await buyer.setViewportSize({ width: 1280, height: 900 });
    await buyer.goto(`${base}/market`);
    await shot(buyer, 'home');
    await buyer.getByRole('navigation', { name: 'Categories' }).getByRole('link').first().click();
    await buyer.waitForURL(/\/market\/category\//);
    await shot(buyer, 'category');
    await buyer.getByLabel('Search products').fill(product.title.split(' ')[0] as string);
    await buyer.getByRole('button', { name: 'Search' }).click();
    await buyer.waitForURL(/\/market\/search\?q=/);
    await shot(buyer, 'search');

    expect(buyerErrors).toEqual([]);
    expect(affiliateErrors).toEqual([]);
    await buyerContext.close();
    await affiliate.close();
  });
});
