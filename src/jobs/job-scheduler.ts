import type { Ctx } from '../context.js';
import { runDueJobs } from './run-due-jobs.js';

export const JOB_INTERVAL_MS = 60_000;
/** Inside the server a pass holds the (SQLite) connection: short passes keep requests moving. */
const SERVER_SUB_ORDERS_PER_PASS = 5000;

/**
 * Runs the due jobs every minute inside the server, one run at a time (a slow run is not
 * overlapped by the next tick). `stop` waits for a run in progress to finish.
 */
export function startJobScheduler(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock' | 'log'>,
  intervalMs = JOB_INTERVAL_MS,
) {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = runDueJobs(ctx, { subOrdersPerPass: SERVER_SUB_ORDERS_PER_PASS })
      .then((report) => {
        if (report.ordersChecked > 0) ctx.log.info(report, 'jobs ran');
      })
      .catch((error: unknown) => ctx.log.error({ err: error }, 'jobs failed; next tick retries'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
    },
  };
}
