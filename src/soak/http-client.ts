import http from 'node:http';

export type HttpAnswer = { status: number; headers: http.IncomingHttpHeaders; body: string };

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Requests to one server over keep-alive connections (node:http: cheaper per request than
 * fetch, so the load generator leaves more of the machine to the server). Redirects are
 * answers, never followed. A request that takes longer than `timeoutMs` fails with `timeout`.
 */
export class HttpClient {
  readonly #agent: http.Agent;
  readonly #base: URL;

  constructor(
    baseUrl: string,
    maxSockets: number,
    readonly timeoutMs = 10_000,
  ) {
    this.#base = new URL(baseUrl);
    // FIFO: every open connection takes requests in turn, so none sits idle until the
    // server's keep-alive timeout closes it just as a request is sent on it (ECONNRESET).
    this.#agent = new http.Agent({
      keepAlive: true,
      maxSockets,
      maxFreeSockets: maxSockets,
      scheduling: 'fifo',
    });
  }

  request(
    method: 'GET' | 'POST',
    path: string,
    headers: http.OutgoingHttpHeaders = {},
    body?: string,
  ): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent: this.#agent,
          host: this.#base.hostname,
          port: this.#base.port,
          method,
          path,
          headers:
            body === undefined
              ? headers
              : { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (bytes > MAX_BODY_BYTES) req.destroy(new Error('response body too large'));
            else chunks.push(chunk);
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.setTimeout(this.timeoutMs, () => req.destroy(new TimeoutError()));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

export class TimeoutError extends Error {
  constructor() {
    super('timeout');
  }
}

/** How a failed request is counted: `timeout`, or the network error's code (ECONNRESET…). */
export function failureKind(error: unknown): string {
  if (error instanceof TimeoutError) return 'timeout';
  const code = (error as { code?: unknown }).code;
  return `network ${typeof code === 'string' ? code : String((error as Error).message ?? error)}`;
}
