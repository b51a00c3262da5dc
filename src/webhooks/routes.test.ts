import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { issueApiKey } from '../affiliates/api-keys.js';
import type { App } from '../server.js';
import { describeEachDatabase } from '../test/context.js';
import { seedAffiliate } from '../test/factories.js';
import { buildWebhookApp, failPending, type Receiver, startReceiver } from '../test/webhooks.js';
import { withdrawalEvent } from './affiliate-events.js';
import { deliverDue } from './deliver.js';
import { emitEvents } from './emit-events.js';

describeEachDatabase('the webhooks REST API', (t) => {
  let app: App;
  let receiver: Receiver;
  beforeAll(async () => {
    app = await buildWebhookApp(t());
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });
  afterEach(async () => {
    await failPending(t());
  });
  const call = (key: string, method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });
  async function keyed() {
    const affiliate = await seedAffiliate(t(), { approve: true });
    const { key } = await issueApiKey(t(), affiliate.id);
    return { affiliateId: affiliate.id, key };
  }
  let withdrawals = 0;
  const failedWithdrawal = (affiliateId: string) => {
    withdrawals += 1;
    return withdrawalEvent({
      id: `wd-api-${withdrawals}`,
      affiliateId,
      state: 'failed',
      currency: 'USD',
      amountMinor: 5000n,
      feeMinor: 1500n,
      netMinor: 3500n,
      reasonCode: 'AC04',
      reasonText: 'Closed account number',
    });
  };

  it('subscribes, lists, shows deliveries with their attempts a page at a time, and deletes', async () => {
    const { affiliateId, key } = await keyed();
    const made = await call(key, 'POST', '/api/v1/webhooks', {
      url: `${receiver.url}/hook`,
      events: ['withdrawal.failed', 'withdrawal.failed'],
    });
    expect(made.statusCode).toBe(201);
    const hook = made.json();
    expect(hook).toMatchObject({
      url: `${receiver.url}/hook`,
      events: ['withdrawal.failed'],
      status: 'active',
      consecutive_failures: 0,
    });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const listed = (await call(key, 'GET', '/api/v1/webhooks')).json();
    expect(listed).toEqual({ webhooks: [{ ...hook, secret: undefined }], next_cursor: null });
    expect(JSON.stringify(listed)).not.toContain(hook.secret);

    await emitEvents(t(), [failedWithdrawal(affiliateId), failedWithdrawal(affiliateId)]);
    receiver.failNext(1);
    await deliverDue(t());
    const first = await call(key, 'GET', `/api/v1/webhooks/${hook.id}/deliveries?limit=1`);
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.deliveries).toHaveLength(1);
    expect(page.next_cursor).toBe(page.deliveries[0].id);
    const rest = (
      await call(key, 'GET', `/api/v1/webhooks/${hook.id}/deliveries?before=${page.next_cursor}`)
    ).json();
    const all = [...page.deliveries, ...rest.deliveries];
    expect(rest.next_cursor).toBeNull();
    expect(all.map((d) => d.status).sort()).toEqual(['delivered', 'pending']);
    const retried = all.find((d) => d.status === 'pending');
    expect(retried).toMatchObject({
      event_type: 'withdrawal.failed',
      last_status_code: 500,
      payload: { type: 'withdrawal.failed', data: { amount: 5000, reason_code: 'AC04' } },
      attempts: [{ attempt: 1, status_code: 500, error: 'HTTP 500' }],
    });
    expect(retried.next_attempt_at).toEqual(expect.any(String));

    expect((await call(key, 'DELETE', `/api/v1/webhooks/${hook.id}`)).statusCode).toBe(204);
    expect((await call(key, 'DELETE', `/api/v1/webhooks/${hook.id}`)).statusCode).toBe(204);
    const after = (await call(key, 'GET', '/api/v1/webhooks')).json();
    expect(after.webhooks[0]).toMatchObject({ status: 'disabled', disabled_reason: 'deleted' });
    const stopped = (await call(key, 'GET', `/api/v1/webhooks/${hook.id}/deliveries`)).json();
    expect(stopped.deliveries.map((d: { status: string }) => d.status).sort()).toEqual([
      'delivered',
      'failed',
    ]);
  });

  it('postbacks: a tracking id by name, order events only, the same routes', async () => {
    const { key } = await keyed();
    const body = { url_template: `${receiver.url}/pb?c={click_id}&amt={commission}` };
    const made = await call(key, 'POST', '/api/v1/postbacks', {
      ...body,
      events: ['order.paid', 'order.invalid'],
      tracking_id: 'default',
    });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({ ...body, tracking_id: 'default', status: 'active' });
    const id = made.json().id;
    expect((await call(key, 'GET', '/api/v1/postbacks')).json().postbacks).toHaveLength(1);
    const unknownTracking = await call(key, 'POST', '/api/v1/postbacks', {
      ...body,
      events: ['order.paid'],
      tracking_id: 'nope',
    });
    expect(unknownTracking.json().error.code).toBe('tracking_id_not_found');
    const withdrawal = await call(key, 'POST', '/api/v1/postbacks', {
      ...body,
      events: ['withdrawal.failed'],
    });
    expect([withdrawal.statusCode, withdrawal.json().error.code]).toEqual([
      422,
      'unknown_event_type',
    ]);
    expect((await call(key, 'GET', `/api/v1/postbacks/${id}/deliveries`)).json()).toEqual({
      deliveries: [],
      next_cursor: null,
    });
    expect((await call(key, 'DELETE', `/api/v1/postbacks/${id}`)).statusCode).toBe(204);
  });

  it('another affiliate’s webhook or postback is not found; keys need their scopes', async () => {
    const owner = await keyed();
    const other = await keyed();
    const hook = (
      await call(owner.key, 'POST', '/api/v1/webhooks', {
        url: 'https://example.com/h',
        events: ['order.paid'],
      })
    ).json();
    const postback = (
      await call(owner.key, 'POST', '/api/v1/postbacks', {
        url_template: 'https://example.com/p?c={click_id}',
        events: ['order.paid'],
      })
    ).json();
    for (const [method, url] of [
      ['GET', `/api/v1/webhooks/${hook.id}/deliveries`],
      ['DELETE', `/api/v1/webhooks/${hook.id}`],
    ] as const) {
      const res = await call(other.key, method, url);
      expect([res.statusCode, res.json().error.code]).toEqual([404, 'webhook_not_found']);
    }
    for (const [method, url] of [
      ['GET', `/api/v1/postbacks/${postback.id}/deliveries`],
      ['DELETE', `/api/v1/postbacks/${postback.id}`],
    ] as const) {
      const res = await call(other.key, method, url);
      expect([res.statusCode, res.json().error.code]).toEqual([404, 'postback_not_found']);
    }
    expect((await call(other.key, 'GET', '/api/v1/webhooks')).json().webhooks).toEqual([]);
    const { key: readOnly } = await issueApiKey(t(), other.affiliateId, ['webhooks:read']);
    const denied = await call(readOnly, 'POST', '/api/v1/webhooks', {
      url: 'https://example.com/h',
      events: ['order.paid'],
    });
    expect([denied.statusCode, denied.json().error.code]).toEqual([403, 'insufficient_scope']);
    expect((await app.inject({ method: 'GET', url: '/api/v1/webhooks' })).statusCode).toBe(401);
  });

  it('documents every route in the OpenAPI document', () => {
    const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/postbacks',
      '/api/v1/postbacks/{id}',
      '/api/v1/postbacks/{id}/deliveries',
      '/api/v1/webhooks',
      '/api/v1/webhooks/{id}',
      '/api/v1/webhooks/{id}/deliveries',
      '/api/v1/webhooks/{id}/secret',
    ]);
    expect(Object.keys(doc.paths['/api/v1/webhooks'] ?? {}).sort()).toEqual(['get', 'post']);
  });

  it('refuses bad URLs and unknown event types with their codes, and no body is a 500', async () => {
    const { key } = await keyed();
    const code = async (url: string, body: unknown) => {
      const res = await call(key, 'POST', url, body);
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      return res.json().error.code;
    };
    const events = ['order.paid'];
    for (const url of ['ftp://example.com/x', 'not a url', `https://e.com/${'x'.repeat(2048)}`, ''])
      expect(await code('/api/v1/webhooks', { url, events })).toBe('invalid_webhook_url');
    expect(await code('/api/v1/postbacks', { url_template: 'javascript:{click_id}', events })).toBe(
      'invalid_webhook_url',
    );
    expect(
      await code('/api/v1/webhooks', { url: 'https://e.com', events: ['order.shipped'] }),
    ).toBe('unknown_event_type');
    for (const body of [
      {},
      { url: 'https://e.com', events: [] },
      { url: 'https://e.com', events: 'order.paid' },
      { url: 'https://e.com', events, secret: 'mine' },
      { url: 42, events },
      { url: 'https://e.com', events: Array(50).fill('order.paid') },
      { url: 'x'.repeat(10_000), events },
      [],
    ])
      expect(await code('/api/v1/webhooks', body)).toBe('invalid_request');
    for (const body of ['text', null, 7])
      expect(['invalid_request', 'malformed_body', 'unsupported_media_type']).toContain(
        await code('/api/v1/webhooks', body),
      );
    for (const body of [{ url_template: 'https://e.com', events, tracking_id: 7 }, { events }])
      expect(await code('/api/v1/postbacks', body)).toBe('invalid_request');
    const malformed = await app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload: '{"url":',
    });
    expect([malformed.statusCode, malformed.json().error.code]).toEqual([400, 'malformed_body']);
    for (const url of [
      '/api/v1/webhooks?limit=0',
      '/api/v1/webhooks?limit=101',
      `/api/v1/webhooks/${'x'.repeat(100)}/deliveries`,
      '/api/v1/postbacks/x/deliveries?limit=abc',
    ])
      expect((await call(key, 'GET', url)).statusCode).toBe(400);
    // Ten active webhooks at most.
    for (let i = 0; i < 10; i += 1)
      expect(
        (await call(key, 'POST', '/api/v1/webhooks', { url: `https://e.com/${i}`, events }))
          .statusCode,
      ).toBe(201);
    expect(await code('/api/v1/webhooks', { url: 'https://e.com/11', events })).toBe(
      'webhook_limit',
    );
  });
});
