import fs from 'node:fs';
import net from 'node:net';
import { type Browser, chromium } from 'playwright-core';

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
