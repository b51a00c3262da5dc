import fs from 'node:fs';
import net from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.AFFNET_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Browser tests need Debian's Chromium. Without it `npm test` skips them with a note; under
 * CI a missing browser is a failure, not a skip.
 */
export function chromiumAvailable(): boolean {
  const found = fs.existsSync(CHROMIUM);
  if (!found && process.env.CI === 'true')
    throw new Error(`CI=true but no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  if (!found)
    console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A port the system has just handed out and released: the server must know its own port
 * before it starts, because the promotion links it prints carry it.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const AXE_SOURCE = fs.readFileSync(
  new URL('../../../node_modules/axe-core/axe.min.js', import.meta.url),
  'utf8',
);

/**
 * The accessibility problems axe-core finds on the page that are serious or critical, as
 * "rule: target" lines. Evaluated through the debugging protocol, which the page's CSP
 * does not govern, so the page is checked as served.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(): Promise<{
            violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return violations;
}

/** Console errors of a page (a CSP violation, a script error) collected as they happen. */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    // A page answered 422 or an image of the (absent) marketplace is not a fault of the page.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/**
 * A browser test walks many pages, each with a screenshot and an axe-core scan: tens of
 * seconds on a 2-core machine, more when other work shares it. Its own bound, above the
 * suite's 30 s.
 */
export const BROWSER_TEST_TIMEOUT_MS = 120_000;
