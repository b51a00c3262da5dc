import type { Config } from '../config.js';
import type { Ctx } from '../context.js';
import type { ScheduledTask } from '../jobs/job-scheduler.js';
import { deliverOutbox } from '../notifications/deliver-outbox.js';
import { runPayoutIfDue } from './payout-day.js';

/** The payout side of the server's minute: the monthly run when due, then the outbox. */
export function scheduledTasks(
  ctx: Pick<Ctx, 'db' | 'dialect' | 'sqlite' | 'clock' | 'log'>,
  config: Pick<Config, 'smtpUrl' | 'emailFrom' | 'dataDir'>,
): ScheduledTask[] {
  return [
    {
      name: 'payout run',
      run: async () => {
        const summary = await runPayoutIfDue(ctx);
        if (summary) ctx.log.info(summary, 'payout run');
      },
    },
    {
      name: 'email outbox',
      run: () =>
        deliverOutbox(ctx, {
          smtpUrl: config.smtpUrl,
          from: config.emailFrom,
          dataDir: config.dataDir,
        }),
    },
  ];
}
