import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import fastifySwagger from '@fastify/swagger';
import Fastify from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { afterEach, beforeEach } from 'vitest';
import { installErrorHandlers } from '../api/error-handler.js';
import type { Ctx } from '../context.js';
import type { App } from '../server.js';
import { webhookRoutes } from '../webhooks/routes.js';
import type { TestContext } from './context.js';

export type Received = { method: string; url: string; headers: IncomingHttpHeaders; body: string };

/** A local HTTP receiver that records every request; it can answer 500 (or hang) for a while. */
export type Receiver = {
  url: string;
  requests: Received[];
  /** The next request not yet taken by `next`, when it arrives. */
  next(): Promise<Received>;
  /** Answer the next `n` requests with `status` instead of 200. */
  failNext(n: number, status?: number): void;
  /** Never answer the next `n` requests (for timeouts). */
  hangNext(n: number): void;
  close(): Promise<void>;
};

export async function startReceiver(): Promise<Receiver> {
  const requests: Received[] = [];
  const waiting: ((r: Received) => void)[] = [];
  let taken = 0;
  let failures: { left: number; status: number } = { left: 0, status: 500 };
  let hangs = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(received);
      const waiter = waiting.shift();
      if (waiter) {
        taken += 1;
        waiter(received);
      }
      if (hangs > 0) {
        hangs -= 1;
        return;
      }
      const fail = failures.left > 0;
      if (fail) failures = { ...failures, left: failures.left - 1 };
      res.writeHead(fail ? failures.status : 200, { 'content-type': 'text/plain' });
      res.end(fail ? 'no' : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    next() {
      const ready = requests[taken];
      if (ready) {
        taken += 1;
        return Promise.resolve(ready);
      }
      return new Promise((resolve) => waiting.push(resolve));
    },
    failNext(n, status = 500) {
      failures = { left: n, status };
    },
    hangNext(n) {
      hangs = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A Fastify app set up as buildApp does (zod, error handlers, the OpenAPI document) with
 * only the webhook routes.
 */
export async function buildWebhookApp(ctx: Ctx): Promise<App> {
  const app = Fastify().withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandlers(app);
  await app.register(fastifySwagger, {
    openapi: { openapi: '3.1.0', info: { title: 'affnet API', version: 'test' } },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  webhookRoutes(app, ctx);
  await app.ready();
  return app;
}

/** Every pending delivery given up: tests share a database, and each sends only its own. */
export async function failPending(ctx: TestContext): Promise<void> {
  await ctx.db
    .updateTable('deliveries')
    .set({ status: 'failed', next_attempt_at: null })
    .where('status', '=', 'pending')
    .execute();
}

/**
 * A fresh receiver for each test of the suite, closed after it with the suite's pending
 * deliveries given up. The object returned stands for the current test's receiver.
 */
export function useReceiver(t: () => TestContext): Receiver {
  let current: Receiver | undefined;
  beforeEach(async () => {
    current = await startReceiver();
  });
  afterEach(async () => {
    await failPending(t());
    await current?.close();
    current = undefined;
  });
  const now = () => {
    if (!current) throw new Error('the receiver exists only inside a test');
    return current;
  };
  return {
    get url() {
      return now().url;
    },
    get requests() {
      return now().requests;
    },
    next: () => now().next(),
    failNext: (n, status) => now().failNext(n, status),
    hangNext: (n) => now().hangNext(n),
    close: () => now().close(),
  };
}
