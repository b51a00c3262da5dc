// A measuring instrument for bench:redirect, not a server to run: affnet's own redirect
// handler (createRedirectHandler) on bare node:http, with every dependency in memory and a
// recorder that encodes each click into a reused buffer and keeps nothing: no database,
// no writer thread, no disk. The gap between it and the bare server is what answering a
// tracked redirect costs before a click is stored anywhere.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../clock.js';
import type { Logger } from '../log.js';
import type { ProgramSettings } from '../settings/schema.js';
import type { SettingsCache } from '../settings/settings-cache.js';
import type { ClickEvent } from '../tracking/click.js';
import { encodeClick } from '../tracking/click-line.js';
import type { ClickRecorder } from '../tracking/click-recorder.js';
import type { IpSalts } from '../tracking/ip-salts.js';
import type { CachedLink, LinkCache } from '../tracking/link-cache.js';
import { createRedirectHandler } from '../tracking/redirect.js';

const BUFFER_BYTES = 1024 * 1024;
const destination = new URL(process.argv[2] ?? 'https://market.affnet.test/item/1.html');
const link: CachedLink = {
  id: 'lnk_floor',
  affiliateId: 'aff_floor',
  trackingId: 'default',
  base: `${destination.origin}${destination.pathname}${destination.search}`,
  separator: destination.search ? '&' : '?',
  fragment: destination.hash,
};
const buffer = Buffer.allocUnsafeSlow(BUFFER_BYTES);
let used = 0;
const recorder = {
  record(click: ClickEvent) {
    const line = encodeClick(click);
    if (used + line.length * 3 > BUFFER_BYTES) used = 0;
    used += buffer.write(line, used);
  },
} as unknown as ClickRecorder;
const ipHash = 'f'.repeat(64);
const { handle } = createRedirectHandler({
  links: { peek: () => link, load: async () => link } as unknown as LinkCache,
  recorder,
  salts: { hashIp: () => ipHash } as unknown as IpSalts,
  settings: { current: { attributionWindowDays: 30 } as ProgramSettings } as SettingsCache,
  clock: systemClock,
  log: console as unknown as Logger,
  countryHeader: 'cf-ipcountry',
  trustProxy: false,
  secureCookie: false,
});
const server = http.createServer(handle);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
