import type { Ctx } from '../context.js';
import { runDueJobs } from './run-due-jobs.js';

export const JOB_INTERVAL_MS = 60_000;
/** Inside the server a pass holds the (SQLite) connection: short passes keep requests moving. */
const SERVER_SUB_ORDERS_PER_PASS = 5000;

/** More scheduled work to run after the order jobs at each tick, each failing on its own. */
export type ScheduledTask = { name: string; run(): Promise<unknown> };

/**
 * Runs the due jobs every minute inside the server, one run at a time (a slow run is not
 * overlapped by the next tick), then each of `tasks`. `stop` waits for a run in progress.
 */
export function startJobScheduler(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock' | 'log'>,
  options: { intervalMs?: number; tasks?: readonly ScheduledTask[] } = {},
) {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = runDueJobs(ctx, { subOrdersPerPass: SERVER_SUB_ORDERS_PER_PASS })
      .then((report) => {
        if (report.ordersChecked > 0) ctx.log.info(report, 'jobs ran');
      })
      .catch((error: unknown) => ctx.log.error({ err: error }, 'jobs failed; next tick retries'))
      .then(async () => {
        for (const task of options.tasks ?? []) {
          await task
            .run()
            .catch((error: unknown) =>
              ctx.log.error({ err: error, task: task.name }, 'task failed; next tick retries'),
            );
        }
      })
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, options.intervalMs ?? JOB_INTERVAL_MS);
  timer.unref();
  tick();
  return {
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
    },
  };
}
