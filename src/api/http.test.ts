import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { App } from '../server.js';
import { buildApp } from '../server.js';
import { describeEachDatabase } from '../test/context.js';

describeEachDatabase('HTTP basics', (t) => {
  let app: App;
  beforeAll(async () => {
    app = await buildApp(t());
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers /healthz', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas, and renders it at /docs', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/healthz', '/api/v1/affiliates']),
    );
    const signUp = doc.paths['/api/v1/affiliates'].post;
    expect(signUp.requestBody.content['application/json'].schema).toBeDefined();
    expect(Object.keys(signUp.responses)).toEqual(expect.arrayContaining(['201', '400', '409']));
    expect(doc.components.schemas.Error).toBeDefined();
    const docs = await app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
  });

  it('signs up an affiliate and answers every bad request with a coded 4xx', async () => {
    const body = {
      email: 'http@example.com',
      password: 'a long password',
      country: 'DE',
      websiteUrl: 'https://x.example',
    };
    const created = await app.inject({ method: 'POST', url: '/api/v1/affiliates', payload: body });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      email: 'http@example.com',
      status: 'pending',
      tracking_id: 'default',
    });

    const cases: [InjectOptions, number, string][] = [
      [{ method: 'POST', url: '/api/v1/affiliates', payload: body }, 409, 'email_taken'],
      [
        { method: 'POST', url: '/api/v1/affiliates', payload: { ...body, email: 'nope' } },
        400,
        'invalid_request',
      ],
      [
        { method: 'POST', url: '/api/v1/affiliates', payload: { ...body, password: 42 } },
        400,
        'invalid_request',
      ],
      [
        {
          method: 'POST',
          url: '/api/v1/affiliates',
          payload: '{"email":',
          headers: { 'content-type': 'application/json' },
        },
        400,
        'malformed_body',
      ],
      [
        {
          method: 'POST',
          url: '/api/v1/affiliates',
          payload: '',
          headers: { 'content-type': 'application/json' },
        },
        400,
        'malformed_body',
      ],
      [
        {
          method: 'POST',
          url: '/api/v1/affiliates',
          payload: 'email=x',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
        415,
        'unsupported_media_type',
      ],
      [
        {
          method: 'POST',
          url: '/api/v1/affiliates',
          payload: JSON.stringify({ ...body, websiteUrl: 'x'.repeat(2 * 1024 * 1024) }),
          headers: { 'content-type': 'application/json' },
        },
        413,
        'payload_too_large',
      ],
      [
        {
          method: 'POST',
          url: '/api/v1/affiliates',
          payload: '[]',
          headers: { 'content-type': 'application/json' },
        },
        400,
        'invalid_request',
      ],
      [
        {
          method: 'POST',
          url: '/api/v1/affiliates',
          payload: '{"__proto__":{"x":1}}',
          headers: { 'content-type': 'application/json' },
        },
        400,
        'malformed_body',
      ],
      [{ method: 'GET', url: '/no/such/route' }, 404, 'route_not_found'],
      [{ method: 'GET', url: '/api/v1/products/%E0%A4%A' }, 400, 'invalid_request'],
      [{ method: 'GET', url: `/api/v1/products/${'1'.repeat(201)}` }, 414, 'uri_too_long'],
      [{ method: 'DELETE', url: '/healthz' }, 404, 'route_not_found'],
    ];
    for (const [request, status, code] of cases) {
      const res = await app.inject(request);
      expect(res.statusCode, `${request.method} ${request.url} → ${res.body.slice(0, 200)}`).toBe(
        status,
      );
      expect(res.json().error.code).toBe(code);
      expect(typeof res.json().error.message).toBe('string');
    }
    const users = await t().db.selectFrom('users').select('email').execute();
    expect(users.map((u) => u.email)).toEqual(['http@example.com']);
  });
});
