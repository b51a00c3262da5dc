import type { Ctx } from '../context.js';
import type { ScheduledTask } from '../jobs/job-scheduler.js';
import { deliverDue } from './deliver.js';

/** Rounds of deliveries per tick: up to 10 × 100 sent a minute, the rest next tick. */
const MAX_ROUNDS = 10;

/** The webhook side of the server's minute: sends the deliveries that are due. */
export function webhookTask(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'clock' | 'secrets' | 'log'>,
  options: { fetch?: typeof fetch } = {},
): ScheduledTask {
  return {
    name: 'webhooks',
    run: async () => {
      const total = { delivered: 0, failed: 0, disabled: 0 };
      for (let round = 0; round < MAX_ROUNDS; round += 1) {
        const report = await deliverDue(ctx, options);
        total.delivered += report.delivered;
        total.failed += report.failed;
        total.disabled += report.disabled;
        // A failed attempt waits at least a minute, so a round that sent nothing ends the tick.
        if (report.delivered + report.failed === 0) break;
      }
      if (total.delivered + total.failed > 0) ctx.log.info(total, 'webhook deliveries');
    },
  };
}
