import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { signMerchantPayload } from '../orders/merchant-signature.js';
import { type CliResult, type CliSandbox, collect, waitForLine } from './cli.js';

type Server = { child: ChildProcess; base: string; done: Promise<CliResult> };

/**
 * Two `affnet serve` processes of one sandbox on its database, as two machines behind a
 * load balancer run them: each its own data directory, the same secret key and merchant
 * secret (`env`), the visitor's address from X-Forwarded-For. Only the first runs the jobs.
 */
export class ServerPair {
  readonly #sandbox: CliSandbox;
  readonly #env: Record<string, string>;
  #servers: Server[] = [];

  constructor(sandbox: CliSandbox, env: Record<string, string>) {
    this.#sandbox = sandbox;
    this.#env = env;
  }

  async start(): Promise<void> {
    const second = path.join(this.#sandbox.dataDir, 'second-server');
    fs.mkdirSync(second, { recursive: true });
    this.#servers = await Promise.all(
      [
        { args: ['serve'], env: {} },
        { args: ['serve', '--no-jobs'], env: { AFFNET_DATA_DIR: second } },
      ].map(async ({ args, env }, i) => {
        const child = this.#sandbox.spawn(args, {
          ...this.#env,
          ...env,
          PORT: '0',
          AFFNET_TRUST_PROXY: 'true',
        });
        // A server writes to stderr only what went wrong: shown as it happens, since a test
        // that fails on an answer never reaches stop() and its collected stderr.
        child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[server ${i}] ${d}`));
        const done = collect(child);
        const [, base] = (await waitForLine(child, /listening on (http:\/\/\S+)/)) as string[];
        return { child, base: base as string, done };
      }),
    );
  }

  /** The address of server `i % 2`. */
  base(i: number): string {
    const server = this.#servers[i % 2];
    if (!server) throw new Error('the servers are not running');
    return server.base;
  }

  /** SIGTERM both: each writes the clicks it holds, prints what it answered and wrote, exits. */
  async stop(): Promise<CliResult[]> {
    const stopping = this.#servers.map((s) => {
      if (s.child.exitCode === null) s.child.kill('SIGTERM');
      return s.done;
    });
    this.#servers = [];
    return Promise.all(stopping);
  }

  /** POSTs merchant events (one, or `{events}`) to server `i % 2`, signed; the outcomes. */
  async postEvents<T>(i: number, body: unknown): Promise<{ status: number; outcomes: T[] }> {
    const raw = JSON.stringify(body);
    const secret = this.#env.AFFNET_MERCHANT_SECRET;
    if (!secret) throw new Error('AFFNET_MERCHANT_SECRET is not set');
    const res = await fetch(`${this.base(i)}/api/merchant/v1/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'affnet-signature': signMerchantPayload(secret, raw, Math.floor(Date.now() / 1000)),
      },
      body: raw,
    });
    const answer = (await res.json()) as T & { results?: T[] };
    return { status: res.status, outcomes: answer.results ?? [answer] };
  }
}

/** Runs `count` tasks, at most `limit` at a time; the results in task order. */
export async function inParallel<T>(
  count: number,
  limit: number,
  task: (n: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < count) {
        const n = next;
        next += 1;
        results[n] = await task(n);
      }
    }),
  );
  return results;
}
