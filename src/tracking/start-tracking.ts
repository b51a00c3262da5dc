import type { Ctx } from '../context.js';
import { SettingsCache } from '../settings/settings-cache.js';
import { ClickRecorder, type RecorderOptions } from './click-recorder.js';
import { ClickSpill } from './click-spill.js';
import { openClickWriter } from './click-writer.js';
import { IpSalts } from './ip-salts.js';
import { LinkCache } from './link-cache.js';
import { createRedirectHandler } from './redirect.js';

export type TrackingOptions = {
  dataDir: string;
  countryHeader: string;
  trustProxy: boolean;
  secureCookie: boolean;
  /** Write clicks on a worker thread (a SQLite file, or PostgreSQL at `databaseUrl`). */
  useWorker: boolean;
  databaseUrl?: string | undefined;
  recorder?: RecorderOptions;
};

export type Tracking = Awaited<ReturnType<typeof startTracking>>;

/** Everything the redirect needs, started: caches, salts, the click recorder and its writer. */
export async function startTracking(ctx: Ctx, options: TrackingOptions) {
  const settings = new SettingsCache(ctx);
  await settings.start();
  const salts = new IpSalts(ctx);
  await salts.start();
  const links = new LinkCache(ctx);
  links.start();
  const recorder = new ClickRecorder(
    await openClickWriter(ctx, { useWorker: options.useWorker, databaseUrl: options.databaseUrl }),
    new ClickSpill(options.dataDir, ctx.log),
    ctx.log,
    options.recorder,
  );
  await recorder.start();
  const redirect = createRedirectHandler({
    links,
    recorder,
    salts,
    settings,
    clock: ctx.clock,
    log: ctx.log,
    countryHeader: options.countryHeader,
    trustProxy: options.trustProxy,
    secureCookie: options.secureCookie,
  });
  return {
    redirect,
    recorder,
    links,
    /** Call after the HTTP server stopped taking requests: writes every click still held. */
    async close(): Promise<void> {
      links.stop();
      salts.stop();
      settings.stop();
      await recorder.close();
    },
  };
}
