import { expect, it } from 'vitest';
import { DAY_MS } from '../clock.js';
import { describeEachDatabase, type TestContext } from '../test/context.js';
import { seedAffiliate } from '../test/factories.js';
import { startReceiver, useReceiver } from '../test/webhooks.js';
import { withdrawalEvent } from './affiliate-events.js';
import { createWebhook } from './create-webhook.js';
import { deliverDue } from './deliver.js';
import { emitEvents } from './emit-events.js';
import { listDeliveries } from './list-deliveries.js';
import { DISABLE_AFTER_FAILURES, retryDelayMs } from './record-attempt.js';
import { webhookTask } from './scheduled-task.js';

let sequence = 0;

/** A withdrawal.succeeded event of the affiliate, with a fresh withdrawal id. */
function succeeded(affiliateId: string) {
  sequence += 1;
  return withdrawalEvent({
    id: `wd-test-${sequence}`,
    affiliateId,
    state: 'succeeded',
    currency: 'USD',
    amountMinor: 5000n,
    feeMinor: 1500n,
    netMinor: 3500n,
    reasonCode: null,
    reasonText: null,
  });
}

describeEachDatabase('delivering webhooks', (t) => {
  const receiver = useReceiver(t);

  async function hooked(ctx: TestContext, url = `${receiver.url}/hook`) {
    const affiliate = await seedAffiliate(ctx, { approve: true });
    const hook = await createWebhook(ctx, affiliate.id, {
      url,
      events: ['withdrawal.succeeded', 'withdrawal.failed'],
    });
    return { affiliateId: affiliate.id, hook };
  }

  const webhookRow = (ctx: TestContext, id: string) =>
    ctx.db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('a receiver answering 500 is retried after the backoff, every attempt recorded', async () => {
    const ctx = t();
    const { affiliateId, hook } = await hooked(ctx);
    await emitEvents(ctx, [succeeded(affiliateId)]);
    receiver.failNext(2);
    expect(await deliverDue(ctx)).toEqual({ delivered: 0, failed: 1, disabled: 0 });
    expect((await receiver.next()).method).toBe('POST');
    // Not due again before the backoff: a minute, then two.
    expect(await deliverDue(ctx)).toEqual({ delivered: 0, failed: 0, disabled: 0 });
    ctx.clock.advance(retryDelayMs(1));
    expect(await deliverDue(ctx)).toMatchObject({ failed: 1 });
    await receiver.next();
    expect(Number((await webhookRow(ctx, hook.id)).consecutive_failures)).toBe(2);
    ctx.clock.advance(retryDelayMs(2) - 1000);
    expect(await deliverDue(ctx)).toMatchObject({ delivered: 0, failed: 0 });
    ctx.clock.advance(1000);
    expect(await deliverDue(ctx)).toEqual({ delivered: 1, failed: 0, disabled: 0 });
    await receiver.next();

    const [delivery] = await listDeliveries(ctx, affiliateId, 'webhook', hook.id, { limit: 10 });
    expect(delivery).toMatchObject({
      status: 'delivered',
      attempts: 3,
      lastStatusCode: 200,
      nextAttemptAt: null,
    });
    expect(delivery?.attemptLog.map((a) => [a.attempt, a.statusCode, a.error])).toEqual([
      [1, 500, 'HTTP 500'],
      [2, 500, 'HTTP 500'],
      [3, 200, null],
    ]);
    // A success ends the run of failures.
    expect(Number((await webhookRow(ctx, hook.id)).consecutive_failures)).toBe(0);
  });

  it('backs off 1 minute, doubling, to at most a day', () => {
    expect([1, 2, 3, 11, 12, 20].map(retryDelayMs)).toEqual([
      60_000,
      120_000,
      240_000,
      61_440_000,
      DAY_MS,
      DAY_MS,
    ]);
  });

  it(`${DISABLE_AFTER_FAILURES} failures in a row disable the webhook and fail its pending deliveries`, async () => {
    const ctx = t();
    const { affiliateId, hook } = await hooked(ctx);
    await emitEvents(
      ctx,
      Array.from({ length: DISABLE_AFTER_FAILURES + 5 }, () => succeeded(affiliateId)),
    );
    receiver.failNext(1000, 503);
    expect(await deliverDue(ctx, { limit: DISABLE_AFTER_FAILURES })).toEqual({
      delivered: 0,
      failed: DISABLE_AFTER_FAILURES,
      disabled: 1,
    });
    const row = await webhookRow(ctx, hook.id);
    expect(row).toMatchObject({ status: 'disabled' });
    expect(row.disabled_reason).toMatch(/20 failed attempts in a row \(last: HTTP 503\)/);
    // Those it tried and the five it never reached alike.
    const deliveries = await ctx.db
      .selectFrom('deliveries')
      .select(['status', 'attempts', 'last_error'])
      .where('target_id', '=', hook.id)
      .execute();
    expect(deliveries).toHaveLength(DISABLE_AFTER_FAILURES + 5);
    for (const d of deliveries)
      expect(d).toMatchObject({
        status: 'failed',
        last_error: expect.stringMatching(/^webhook disabled/),
      });
    expect(deliveries.filter((d) => d.attempts === 0n)).toHaveLength(5);
    // Nothing more is queued for it, and nothing more is sent.
    expect(await emitEvents(ctx, [succeeded(affiliateId)])).toBe(0);
    ctx.clock.advance(DAY_MS);
    expect(await deliverDue(ctx)).toEqual({ delivered: 0, failed: 0, disabled: 0 });
    expect(receiver.requests).toHaveLength(DISABLE_AFTER_FAILURES);
  });

  it('a receiver that does not answer in time, or refuses the connection, is a failure with its reason', async () => {
    const ctx = t();
    const slow = await hooked(ctx);
    await emitEvents(ctx, [succeeded(slow.affiliateId)]);
    receiver.hangNext(1);
    expect(await deliverDue(ctx, { timeoutMs: 200 })).toMatchObject({ failed: 1 });
    const closed = await startReceiver();
    await closed.close();
    const refused = await hooked(ctx, `${closed.url}/gone`);
    await emitEvents(ctx, [succeeded(refused.affiliateId)]);
    expect(await deliverDue(ctx)).toMatchObject({ failed: 1 });
    const [timedOut] = await listDeliveries(ctx, slow.affiliateId, 'webhook', slow.hook.id, {
      limit: 1,
    });
    expect(timedOut?.attemptLog[0]).toMatchObject({
      statusCode: null,
      error: 'no answer within 200 ms',
    });
    const [gone] = await listDeliveries(ctx, refused.affiliateId, 'webhook', refused.hook.id, {
      limit: 1,
    });
    expect(gone?.attemptLog[0]?.error).toBe('could not deliver: ECONNREFUSED');
  });

  it('two runners at once send each delivery once', async () => {
    const ctx = t();
    const { affiliateId } = await hooked(ctx);
    await emitEvents(
      ctx,
      Array.from({ length: 30 }, () => succeeded(affiliateId)),
    );
    const reports = await Promise.all([deliverDue(ctx), deliverDue(ctx), deliverDue(ctx)]);
    expect(reports.reduce((sum, r) => sum + r.delivered, 0)).toBe(30);
    const ids = receiver.requests.map((r) => r.headers['affnet-delivery']);
    expect(new Set(ids).size).toBe(30);
    expect(ids).toHaveLength(30);
  });

  it('the scheduled task sends what is due', async () => {
    const ctx = t();
    const { affiliateId } = await hooked(ctx);
    await emitEvents(ctx, [succeeded(affiliateId), succeeded(affiliateId)]);
    await webhookTask(ctx).run();
    expect(receiver.requests).toHaveLength(2);
  });
});
