import type { Command } from 'commander';
import { OffsetClock } from '../../clock.js';
import { publicBaseUrl } from '../../config.js';
import { readClockOffset, writeClockOffset } from '../../demo/clock-offset.js';
import { RateLimiter } from '../../lib/rate-limiter.js';
import { isDatabaseEmpty } from '../../seed/seed-demo.js';
import { withContext } from '../run.js';
import { runDemoSeed } from './print-demo.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP server')
    .option(
      '--demo',
      'demo mode: seed the demo program (90 days of history) if the database is empty, serve the demo market at /market',
    )
    .option('--seed-demo', 'the same as --demo')
    .option(
      '--no-jobs',
      'do not run the due jobs every minute here (another server or `affnet jobs run` from cron does)',
    )
    .action((o: { demo?: boolean; seedDemo?: boolean; jobs: boolean }) => {
      const demo = o.demo === true || o.seedDemo === true;
      // The demo's clock runs ahead of the wall clock once `affnet simulate` has moved it.
      const clock = demo ? new OffsetClock() : undefined;
      return withContext(
        async (ctx) => {
          const started = performance.now();
          if (clock) {
            const offset = readClockOffset(ctx.config.dataDir);
            if (offset > 0) clock.advance(offset);
          }
          if (demo && (await isDatabaseEmpty(ctx.db))) await runDemoSeed(ctx, { days: 90 });
          // Loaded here, not at the top: other commands need not pay for the HTTP stack.
          const { buildApp } = await import('../../server.js');
          const { startTracking } = await import('../../tracking/start-tracking.js');
          const tracking = await startTracking(ctx, {
            dataDir: ctx.config.dataDir,
            countryHeader: ctx.config.countryHeader,
            trustProxy: ctx.config.trustProxy,
            secureCookie: ctx.config.publicUrl?.startsWith('https:') ?? false,
            useWorker: true,
            databaseUrl: ctx.config.databaseUrl,
          });
          // Whatever fails from here on (a port in use, a bad setting), the click writer's
          // thread and the scheduler are stopped, so the process exits instead of hanging.
          let app: Awaited<ReturnType<typeof buildApp>> | undefined;
          let jobs: { stop(): Promise<void> } | undefined;
          try {
            const { merchantSecrets } = await import('../../orders/merchant-signature.js');
            const { startJobScheduler } = await import('../../jobs/job-scheduler.js');
            app = await buildApp(ctx, {
              redirect: tracking.redirect.handle,
              merchantSecrets: merchantSecrets(ctx.config),
              publicBaseUrl: publicBaseUrl(ctx.config),
              openApiLimiter: new RateLimiter({
                perSecond: ctx.config.openApiCallsPerSecond,
                burst: 2 * ctx.config.openApiCallsPerSecond,
              }),
              // The demo market signs its events with the first active merchant secret.
              ...(demo
                ? { demoMarket: { merchantSecret: merchantSecrets(ctx.config)[0] as string } }
                : {}),
              ...(clock
                ? {
                    demoControls: {
                      clock,
                      saveOffset: (offsetMs: number) =>
                        writeClockOffset(ctx.config.dataDir, offsetMs),
                      flushClicks: () => tracking.recorder.flush(),
                    },
                  }
                : {}),
            });
            const address = await app.listen({ port: ctx.config.port, host: ctx.config.host });
            const { scheduledTasks } = await import('../../payouts/scheduled-tasks.js');
            const { webhookTask } = await import('../../webhooks/scheduled-task.js');
            const { webhookFetch } = await import('../../webhooks/public-fetch.js');
            jobs = o.jobs
              ? startJobScheduler(ctx, {
                  tasks: [
                    ...scheduledTasks(ctx, ctx.config),
                    webhookTask(ctx, webhookFetch(ctx.config)),
                  ],
                })
              : undefined;
            const base = ctx.config.publicUrl ?? address.replace('://127.0.0.1', '://localhost');
            // Handlers first: whoever reads the address may send SIGTERM at once.
            const signalled = waitForSignal();
            process.stdout.write(
              [
                `affnet is listening on ${address} (${ctx.dialect}, ready in ${Math.round(performance.now() - started)} ms)`,
                `  API docs:  ${base}/docs`,
                `  OpenAPI:   ${base}/openapi.json`,
                `  health:    ${base}/healthz`,
                `  merchant events: POST ${base}/api/merchant/v1/events (secret: affnet merchant secret)`,
                ...(demo
                  ? [
                      `  portal:    ${base}/   console: ${base}/console`,
                      `  demo market: ${base}/market   (traffic: affnet simulate --days 7)`,
                    ]
                  : []),
                '',
              ].join('\n'),
            );
            await signalled;
            process.stdout.write(
              'shutting down: no new requests; writing the clicks still in memory\n',
            );
          } finally {
            await app?.close();
            await jobs?.stop();
            await tracking.close();
          }
          const { redirects } = tracking.redirect.counts;
          const { recorded, written, spilled } = tracking.recorder.counts;
          process.stdout.write(
            `stopped: answered ${redirects} redirects, recorded ${recorded} clicks, wrote ${written} (${spilled} went through the spill file)\n`,
          );
        },
        clock ? { clock } : {},
      );
    });
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
