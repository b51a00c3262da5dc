import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../test/context.js';
import { seedAffiliate } from '../test/factories.js';
import { useReceiver } from '../test/webhooks.js';
import { withdrawalEvent } from './affiliate-events.js';
import { createWebhook } from './create-webhook.js';
import { deliverDue } from './deliver.js';
import { emitEvents } from './emit-events.js';
import { listDeliveries } from './list-deliveries.js';
import { isPrivateAddress, publicOnlyFetch, webhookFetch } from './public-fetch.js';

describe('which addresses a webhook may reach', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['100.64.0.1', true],
    ['169.254.169.254', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['0.0.0.0', true],
    ['224.0.0.1', true],
    ['8.8.8.8', false],
    ['93.184.216.34', false],
    ['::1', true],
    ['::', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:8.8.8.8', false],
    ['fe80::1', true],
    ['fd00::1', true],
    ['2001:4860:4860::8888', false],
    ['not an address', true],
  ])('%s is private: %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describeEachDatabase('webhooks to private addresses', (t) => {
  const receiver = useReceiver(t);

  it('refuses a literal private address and a name that resolves to one, before sending', async () => {
    const guarded = publicOnlyFetch();
    const port = new URL(receiver.url).port;
    for (const url of [
      `http://127.0.0.1:${port}/hook`,
      `http://localhost:${port}/hook`,
      `http://[::1]:${port}/hook`,
    ])
      await expect(guarded(url, { method: 'POST', body: '{}' })).rejects.toThrow();
    expect(receiver.requests).toEqual([]);
  });

  it("is what the server's deliveries use unless AFFNET_WEBHOOKS_ALLOW_PRIVATE allows it", async () => {
    const ctx = t();
    const affiliate = await seedAffiliate(ctx, { approve: true });
    const hook = await createWebhook(ctx, affiliate.id, {
      url: `${receiver.url}/hook`,
      events: ['withdrawal.succeeded'],
    });
    await emitEvents(ctx, [
      withdrawalEvent({
        id: 'wd-private-1',
        affiliateId: affiliate.id,
        state: 'succeeded',
        currency: 'USD',
        amountMinor: 5000n,
        feeMinor: 1500n,
        netMinor: 3500n,
        reasonCode: null,
        reasonText: null,
      }),
    ]);
    expect(await deliverDue(ctx, webhookFetch({ webhooksAllowPrivate: false }))).toMatchObject({
      delivered: 0,
      failed: 1,
    });
    expect(receiver.requests).toEqual([]);
    const [delivery] = await listDeliveries(ctx, affiliate.id, 'webhook', hook.id, { limit: 1 });
    expect(delivery?.lastError).toMatch(/private address/);
  });
});
