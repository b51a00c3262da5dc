import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticateOperator } from '../api/operator-auth.js';
import { errorResponses } from '../api/schemas.js';
import type { OffsetClock } from '../clock.js';
import type { Ctx } from '../context.js';
import { runDueJobs } from '../jobs/run-due-jobs.js';
import { runPayoutIfDue } from '../payouts/payout-day.js';
import type { App } from '../server.js';

const PREFIX = '/api/operator/v1/demo';
const tags = ['demo'];
const MAX_ADVANCE_S = 400 * 86_400;

export type DemoControls = {
  clock: OffsetClock;
  /** Keeps the new offset (the data directory's file), so a restart keeps the time. */
  saveOffset: (offsetMs: number) => void;
  /** Writes every click the recorder still holds. */
  flushClicks: () => Promise<void>;
};

const clockState = z.object({ now: z.string(), offset_ms: z.number().int() });

/**
 * What `affnet simulate` drives a demo server with, behind an operator token, and only on
 * a server started with `--demo`: the server's clock (read, advanced), the clicks still in
 * memory written out, and the due jobs and the payout run at the server's time.
 */
export function demoRoutes(parent: App, ctx: Ctx, controls: DemoControls): void {
  parent.register(async (scope) => {
    const app = scope.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', async (request) => {
      await authenticateOperator(ctx, request);
    });
    const state = () => ({
      now: controls.clock.now().toISOString(),
      offset_ms: controls.clock.offsetMs,
    });

    // GET /api/operator/v1/demo/clock — the server's time and how far it runs ahead
    app.get(
      `${PREFIX}/clock`,
      {
        schema: {
          summary: "The demo server's clock",
          tags,
          response: { 200: clockState, ...errorResponses(401) },
        },
      },
      async () => state(),
    );

    // POST /api/operator/v1/demo/clock — move the clock ahead (it never goes back)
    app.post(
      `${PREFIX}/clock`,
      {
        schema: {
          summary: "Advance the demo server's clock",
          description:
            'Writes the clicks still in memory first (they happened before the jump), then moves the clock ahead and keeps the offset in the data directory.',
          tags,
          body: z.object({ advance_seconds: z.number().int().min(1).max(MAX_ADVANCE_S) }).strict(),
          response: { 200: clockState, ...errorResponses(400, 401) },
        },
      },
      async (request) => {
        await controls.flushClicks();
        controls.clock.advance(request.body.advance_seconds * 1000);
        controls.saveOffset(controls.clock.offsetMs);
        return state();
      },
    );

    // POST /api/operator/v1/demo/clicks/flush — write the clicks the recorder holds
    app.post(
      `${PREFIX}/clicks/flush`,
      {
        schema: {
          summary: 'Write the clicks still in memory',
          tags,
          response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses(401) },
        },
      },
      async () => {
        await controls.flushClicks();
        return { ok: true as const };
      },
    );

    // POST /api/operator/v1/demo/jobs/run — the due jobs and the payout run, at the server's time
    app.post(
      `${PREFIX}/jobs/run`,
      {
        schema: {
          summary: 'Run the due jobs and the payout run now',
          tags,
          response: {
            200: z.object({
              now: z.string(),
              orders_checked: z.number().int(),
              settled: z.number().int(),
              confirmed: z.number().int(),
              invalidated: z.number().int(),
              seller_releases: z.number().int(),
              payout_run: z
                .object({
                  period: z.string(),
                  withdrawals: z.number().int(),
                  paid_minor: z.string(),
                })
                .nullable(),
            }),
            ...errorResponses(401),
          },
        },
      },
      async () => {
        await controls.flushClicks();
        const jobs = await runDueJobs(ctx);
        const run = await runPayoutIfDue(ctx);
        return {
          now: ctx.clock.now().toISOString(),
          orders_checked: jobs.ordersChecked,
          settled: jobs.settled,
          confirmed: jobs.confirmed,
          invalidated: jobs.invalidated,
          seller_releases: jobs.sellerReleases,
          payout_run: run
            ? { period: run.period, withdrawals: run.paid, paid_minor: run.paidMinor.toString() }
            : null,
        };
      },
    );
  });
}
