import type { Command } from 'commander';
import { publicBaseUrl } from '../../config.js';
import { RateLimiter } from '../../lib/rate-limiter.js';
import { isDatabaseEmpty, seedDemo } from '../../seed/seed-demo.js';
import { withContext } from '../run.js';
import { printDemoCredentials } from './print-demo.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP server')
    .option('--seed-demo', 'seed the demo program first if the database is empty')
    .option(
      '--no-jobs',
      'do not run the due jobs every minute here (another server or `affnet jobs run` from cron does)',
    )
    .action((o: { seedDemo?: boolean; jobs: boolean }) =>
      withContext(async (ctx) => {
        const started = performance.now();
        if (o.seedDemo && (await isDatabaseEmpty(ctx.db)))
          printDemoCredentials(await seedDemo(ctx));
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
        const { merchantSecrets } = await import('../../orders/merchant-signature.js');
        const { startJobScheduler } = await import('../../jobs/job-scheduler.js');
        const app = await buildApp(ctx, {
          redirect: tracking.redirect.handle,
          merchantSecrets: merchantSecrets(ctx.config),
          publicBaseUrl: publicBaseUrl(ctx.config),
          openApiLimiter: new RateLimiter({
            perSecond: ctx.config.openApiCallsPerSecond,
            burst: 2 * ctx.config.openApiCallsPerSecond,
          }),
        });
        const address = await app.listen({ port: ctx.config.port, host: ctx.config.host });
        const { scheduledTasks } = await import('../../payouts/scheduled-tasks.js');
        const { webhookTask } = await import('../../webhooks/scheduled-task.js');
        const jobs = o.jobs
          ? startJobScheduler(ctx, {
              tasks: [...scheduledTasks(ctx, ctx.config), webhookTask(ctx)],
            })
          : undefined;
        const base = ctx.config.publicUrl ?? address.replace('://127.0.0.1', '://localhost');
        process.stdout.write(
          [
            `affnet is listening on ${address} (${ctx.dialect}, ready in ${Math.round(performance.now() - started)} ms)`,
            `  API docs:  ${base}/docs`,
            `  OpenAPI:   ${base}/openapi.json`,
            `  health:    ${base}/healthz`,
            `  merchant events: POST ${base}/api/merchant/v1/events (secret: affnet merchant secret)`,
            '',
          ].join('\n'),
        );
        await waitForSignal();
        process.stdout.write(
          'shutting down: no new requests; writing the clicks still in memory\n',
        );
        await app.close();
        await jobs?.stop();
        await tracking.close();
        const { redirects } = tracking.redirect.counts;
        const { recorded, written, spilled } = tracking.recorder.counts;
        process.stdout.write(
          `stopped: answered ${redirects} redirects, recorded ${recorded} clicks, wrote ${written} (${spilled} went through the spill file)\n`,
        );
      }),
    );
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
