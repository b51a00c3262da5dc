import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { CliSandbox, waitForLine } from '../../test/cli.js';
import { accessibilityProblems, freePort, launchChromium } from './browser.js';

export const database = process.env.DATABASE_URL ? 'postgres' : 'sqlite';
const SHOTS = path.resolve('test-results');

/** A browser test's world: a scratch installation, its server and Chromium. */
export type DemoServer = {
  sandbox: CliSandbox;
  server: ChildProcess;
  base: string;
  /** The environment the server runs with (the CLI commands of the test use it too). */
  env: Record<string, string>;
  browser: Browser;
  stop(): Promise<void>;
};

/**
 * The demo catalog and accounts (no history) seeded for a free port's address — the
 * products' pages and pictures are on it — then `affnet serve …` on that port, and Chromium.
 */
export async function startDemoServer(
  serveArgs: string[],
  extraEnv: Record<string, string> = {},
): Promise<DemoServer> {
  const sandbox = await new CliSandbox().start();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { PORT: String(port), AFFNET_PUBLIC_URL: base, ...extraEnv };
  const seeded = await sandbox.run(['seed', '--demo', '--no-history'], env);
  expect(seeded.stderr).toBe('');
  const server = sandbox.spawn(['serve', ...serveArgs], env);
  await waitForLine(server, /listening on http/);
  const browser = await launchChromium();
  fs.mkdirSync(SHOTS, { recursive: true });
  return {
    sandbox,
    server,
    base,
    env,
    browser,
    async stop() {
      await browser.close();
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        await exited;
      }
      await sandbox.stop();
    },
  };
}

/** A screenshot of the page into test-results/, and its accessibility checked by axe-core. */
export async function shotAndAxe(page: Page, file: string, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${database}-${file}.png`), fullPage: true });
  expect({ page: name, problems: await accessibilityProblems(page) }).toEqual({
    page: name,
    problems: [],
  });
}
