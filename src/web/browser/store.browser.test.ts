import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_TEST_TIMEOUT_MS, chromiumAvailable, consoleErrors } from './browser.js';
import { type DemoServer, database, shotAndAxe, startDemoServer } from './demo-server.js';

const SLUG = 'gadget-corner';

describe.runIf(chromiumAvailable())(`an affiliate's store in Chromium [${database}]`, () => {
  let world: DemoServer;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    world = await startDemoServer([]);
    ({ base, browser } = world);
  });

  afterAll(async () => {
    await world?.stop();
  });

  /** A screenshot of the page, its accessibility checked by axe-core, and no sideways scroll. */
  async function shot(page: Page, name: string) {
    await shotAndAxe(page, `store-${name}`, name);
    // Evaluated as text: this project's TypeScript has no DOM types.
    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect({ page: name, overflow }).toEqual({ page: name, overflow: 0 });
  }

  it('builds a store in the portal, and a visitor walks it on a phone and a desktop to a tracked link', {
    timeout: BROWSER_TEST_TIMEOUT_MS,
  }, async () => {
    const portal = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const portalErrors = consoleErrors(portal);
    await portal.goto(`${base}/login`);
    await portal.getByLabel('Email').fill('demo@affnet.local');
    await portal.getByLabel('Password').fill('demo-affiliate');
    await portal.getByRole('button', { name: 'Log in' }).click();
    await portal.waitForURL(/\/dashboard/);
    await portal
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Stores', exact: true })
      .click();
    await portal.getByRole('link', { name: 'Build a store' }).click();
    // A slug that is not one: the error is at the field and what was typed stays.
    await portal.getByLabel('Store name').fill('Gadget Corner');
    await portal.getByLabel('Address').fill('Gadget Corner!');
    const topCategory = portal.locator('.category-tree > ul > li > label').first();
    const categoryName = ((await topCategory.textContent()) as string).trim();
    await topCategory.locator('input').check();
    await portal.getByRole('button', { name: 'Build the store' }).click();
    await expect.poll(() => portal.locator('#f-slug-error').count()).toBe(1);
    expect(await portal.getByLabel('Store name').inputValue()).toBe('Gadget Corner');
    expect(await portal.getByRole('checkbox', { name: categoryName }).isChecked()).toBe(true);
    await shotAndAxe(portal, 'store-form-error', 'form with an error');

    await portal.getByLabel('Address').fill(SLUG);
    await portal.getByLabel('Theme').selectOption('market');
    await portal.getByLabel('Title for search engines').fill('Gadget Corner: gadgets, hand-picked');
    await portal
      .getByLabel('Description for search engines')
      .fill('Phones, headphones and the rest, with their prices and a link to buy each.');
    await portal.getByRole('button', { name: 'Build the store' }).click();
    await expect
      .poll(() => portal.getByText(/Store built\. It shows [\d,]+ products/).count())
      .toBe(1);
    await shotAndAxe(portal, 'store-built', 'store built');
    await portal.close();
    expect(portalErrors).toEqual([]);

    for (const [device, viewport] of [
      ['phone', { width: 375, height: 812 }],
      ['desktop', { width: 1280, height: 900 }],
    ] as const) {
      const page = await browser.newPage({ viewport });
      const errors = consoleErrors(page);
      await page.goto(`${base}/s/${SLUG}`);
      expect(await page.title()).toBe('Gadget Corner: gadgets, hand-picked');
      await shot(page, `${device}-home`);

      // A category from the store's menu.
      const menu = page.getByRole('navigation', { name: 'Categories' }).getByRole('link');
      const category = ((await menu.first().textContent()) as string).trim();
      await menu.first().click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(category);
      await shot(page, `${device}-category`);

      // A search for the first word of a product's title.
      const title = (await page.locator('.card-title').first().textContent()) as string;
      const word = title.split(' ')[0] as string;
      await page.getByRole('searchbox', { name: 'Search Gadget Corner' }).fill(word);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent())
        .toBe(`Results for “${word}”`);
      expect(await page.locator('.card').count()).toBeGreaterThan(0);
      await shot(page, `${device}-search`);

      // A product, and its buy link: a tracked link that redirects with a click id.
      await page.locator('.card-link').first().click();
      await page.waitForURL(/\/product\//);
      await shot(page, `${device}-product`);
      const buy = page.getByRole('link', { name: 'Buy it in the shop' });
      const href = (await buy.getAttribute('href')) as string;
      expect(href).toMatch(new RegExp(`^${base}/c/[A-Za-z0-9]+$`));
      expect(await buy.getAttribute('rel')).toBe('sponsored nofollow');
      const opened = await page.request.get(href, { maxRedirects: 0 });
      expect(opened.status()).toBe(302);
      const location = new URL(opened.headers().location as string);
      expect(location.searchParams.get('aff_click_id')).toMatch(/^[0-9a-z]{26}$/);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('exports a static copy whose pages and search work from disk', {
    timeout: BROWSER_TEST_TIMEOUT_MS,
  }, async () => {
    const out = path.join(world.sandbox.dataDir, 'static-copy');
    const exported = await world.sandbox.run(['store', 'export', '--slug', SLUG, '--out', out], {
      AFFNET_PUBLIC_URL: base,
    });
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    const page = await browser.newPage({ viewport: { width: 375, height: 812 } });
    const errors = consoleErrors(page);
    await page.goto(`file://${out}/index.html`);
    await shot(page, 'static-home');
    const title = (await page.locator('.card-title').first().textContent()) as string;
    const word = title.split(' ')[0] as string;
    await page.getByRole('searchbox', { name: 'Search Gadget Corner' }).fill(word);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe(`Results for “${word}”`);
    await expect.poll(() => page.locator('#search-results .card').count()).toBeGreaterThan(0);
    await shot(page, 'static-search');
    await page.locator('#search-results .card-link').first().click();
    await page.waitForURL(/\/product\/.*\.html$/);
    expect(
      await page.getByRole('link', { name: 'Buy it in the shop' }).getAttribute('href'),
    ).toMatch(new RegExp(`^${base}/c/`));
    // axe-core reads the stylesheets by XMLHttpRequest, which Chromium refuses on file://.
    expect(errors.filter((e) => !e.startsWith('Access to XMLHttpRequest at'))).toEqual([]);
    await page.close();
  });
});
