import { parentPort, Worker } from 'node:worker_threads';

type Envelope<T> = { id: number; request: T };
type Reply<R> = { id: number; result: R } | { id: number; error: string };

/**
 * Calls into a worker thread that answers one request at a time (`serveRequests`). Pending
 * calls are bounded by the caller; a crashed worker fails every pending and later call.
 */
export class WorkerClient<Request, Result> {
  readonly #worker: Worker;
  readonly #pending = new Map<
    number,
    { resolve(result: Result): void; reject(error: Error): void }
  >();
  #nextId = 0;
  #failure: Error | undefined;
  #closing = false;

  constructor(script: URL, workerData: unknown) {
    this.#worker = new Worker(script, { workerData });
    this.#worker.on('message', (reply: Reply<Result>) => {
      const waiter = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if ('error' in reply) waiter?.reject(new Error(reply.error));
      else waiter?.resolve(reply.result);
    });
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => {
      if (!this.#closing) this.#fail(new Error(`worker ${script.pathname} exited with ${code}`));
    });
  }

  get pending(): number {
    return this.#pending.size;
  }

  call(request: Request): Promise<Result> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise<Result>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, request } satisfies Envelope<Request>);
    });
  }

  /** Lets the worker finish what it was asked, then stops it. */
  async close(): Promise<void> {
    this.#closing = true;
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
    this.#worker.postMessage('close');
    await exited;
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiter of this.#pending.values()) waiter.reject(error);
    this.#pending.clear();
  }
}

/**
 * The worker side: answers each request with `handle`, one after another, once `ready` has
 * settled (requests that arrive sooner wait in line); 'close' runs `onClose` and ends.
 */
export function serveRequests<Request, Result>(
  handle: (request: Request) => Promise<Result>,
  onClose: () => Promise<void>,
  ready: Promise<void> = Promise.resolve(),
): void {
  const port = parentPort;
  if (!port) throw new Error('serveRequests runs in a worker thread');
  let queue = ready;
  port.on('message', (message: Envelope<Request> | 'close') => {
    queue = queue.then(async () => {
      if (message === 'close') {
        await onClose();
        port.close();
        return;
      }
      try {
        port.postMessage({
          id: message.id,
          result: await handle(message.request),
        } satisfies Reply<Result>);
      } catch (error) {
        port.postMessage({
          id: message.id,
          error: error instanceof Error ? error.message : String(error),
        } satisfies Reply<Result>);
      }
    });
  });
}
