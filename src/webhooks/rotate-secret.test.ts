import { createHmac } from 'node:crypto';
import { expect, it } from 'vitest';
import { issueApiKey } from '../affiliates/api-keys.js';
import { describeEachDatabase, type TestContext } from '../test/context.js';
import { seedAffiliate } from '../test/factories.js';
import { buildWebhookApp, useReceiver } from '../test/webhooks.js';
import { withdrawalEvent } from './affiliate-events.js';
import { createWebhook } from './create-webhook.js';
import { deleteTarget } from './delete-target.js';
import { deliverDue } from './deliver.js';
import { emitEvents } from './emit-events.js';
import { ROTATION_OVERLAP_MS, rotateWebhookSecret } from './rotate-secret.js';

let sequence = 0;
const event = (affiliateId: string) => {
  sequence += 1;
  return withdrawalEvent({
    id: `wd-rotate-${sequence}`,
    affiliateId,
    state: 'succeeded',
    currency: 'USD',
    amountMinor: 5000n,
    feeMinor: 1500n,
    netMinor: 3500n,
    reasonCode: null,
    reasonText: null,
  });
};

/** The v1 values of an Affnet-Signature header that match the body under `secret`. */
function matching(header: string, body: string, secret: string): number {
  const [t, ...v1] = header.split(',');
  const seconds = (t as string).replace(/^t=/, '');
  const expected = createHmac('sha256', secret).update(`${seconds}.${body}`).digest('hex');
  return v1.filter((v) => v === `v1=${expected}`).length;
}

describeEachDatabase("rotating a webhook's secret", (t) => {
  const receiver = useReceiver(t);

  async function hooked(ctx: TestContext) {
    const affiliate = await seedAffiliate(ctx, { approve: true });
    const hook = await createWebhook(ctx, affiliate.id, {
      url: `${receiver.url}/hook`,
      events: ['withdrawal.succeeded'],
    });
    return { affiliateId: affiliate.id, hook };
  }

  it('signs under both secrets for 24 hours, then under the new one only', async () => {
    const ctx = t();
    const { affiliateId, hook } = await hooked(ctx);
    const rotated = await rotateWebhookSecret(ctx, affiliateId, hook.id);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(hook.secret);

    await emitEvents(ctx, [event(affiliateId)]);
    await deliverDue(ctx);
    const during = await receiver.next();
    const header = during.headers['affnet-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(matching(header, during.body, rotated.secret)).toBe(1);
    expect(matching(header, during.body, hook.secret)).toBe(1);

    ctx.clock.advance(ROTATION_OVERLAP_MS);
    await emitEvents(ctx, [event(affiliateId)]);
    await deliverDue(ctx);
    const after = await receiver.next();
    const single = after.headers['affnet-signature'] as string;
    expect(single).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(matching(single, after.body, rotated.secret)).toBe(1);
    expect(matching(single, after.body, hook.secret)).toBe(0);
  });

  it('rotates through the API for its owner only; a deleted or unknown webhook is not found', async () => {
    const ctx = t();
    const app = await buildWebhookApp(ctx);
    const { affiliateId, hook } = await hooked(ctx);
    const other = await seedAffiliate(ctx, { approve: true });
    const rotate = async (owner: string, id: string) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/webhooks/${id}/secret`,
        headers: { authorization: `Bearer ${(await issueApiKey(ctx, owner)).key}` },
      });
    const before = await ctx.db
      .selectFrom('webhooks')
      .select('secret_enc')
      .where('id', '=', hook.id)
      .executeTakeFirstOrThrow();
    for (const [owner, id] of [
      [other.id, hook.id],
      [affiliateId, 'whk_nope'],
    ] as const) {
      const refused = await rotate(owner, id);
      expect(refused.statusCode).toBe(404);
      expect(refused.json()).toMatchObject({ error: { code: 'webhook_not_found' } });
    }
    const unchanged = await ctx.db
      .selectFrom('webhooks')
      .select('secret_enc')
      .where('id', '=', hook.id)
      .executeTakeFirstOrThrow();
    expect(unchanged).toEqual(before);

    const done = await rotate(affiliateId, hook.id);
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ id: hook.id, secret: expect.stringMatching(/^whsec_/) });

    await deleteTarget(ctx, 'webhook', affiliateId, hook.id);
    expect((await rotate(affiliateId, hook.id)).statusCode).toBe(404);
  });
});
