import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Ctx } from '../context.js';
import type { WriteRequest, WriteResult } from './product-writer-worker.js';
import { lastPerProduct, MAX_UPSERT_BATCH, upsertProductRows } from './upsert-products.js';

export type WriteCounts = { created: number; updated: number };

/** Writes product rows (productSpec order) for an import; `finish` waits for all and returns the counts. */
export interface ProductWriter {
  write(rows: readonly unknown[][]): Promise<void>;
  finish(): Promise<WriteCounts>;
}

/** Rows per write: several upsert statements in one transaction (fewer commits, fewer WAL writes). */
export const ROWS_PER_WRITE = 5 * MAX_UPSERT_BATCH;
const MAX_WRITES_IN_FLIGHT = 2;
const workerScript = new URL('./product-writer-worker.js', import.meta.url);

/**
 * On a file-backed SQLite database (and with the compiled worker present) the writes run on
 * a worker thread with its own connection, overlapping the reading and checking; otherwise
 * they run in-process through the same upsert that every other caller uses.
 */
export function openProductWriter(ctx: Ctx, options: { useWorker: boolean }): ProductWriter {
  if (options.useWorker && ctx.sqliteFile && fs.existsSync(workerScript))
    return workerWriter(ctx.sqliteFile);
  return inProcessWriter(ctx);
}

function inProcessWriter(ctx: Ctx): ProductWriter {
  const counts: WriteCounts = { created: 0, updated: 0 };
  return {
    async write(rows) {
      for (let start = 0; start < rows.length; start += MAX_UPSERT_BATCH) {
        const written = await upsertProductRows(ctx, rows.slice(start, start + MAX_UPSERT_BATCH));
        counts.created += written.created;
        counts.updated += written.updated;
      }
    },
    async finish() {
      return counts;
    },
  };
}

function workerWriter(file: string): ProductWriter {
  const worker = new Worker(workerScript, { workerData: { file } });
  const counts: WriteCounts = { created: 0, updated: 0 };
  const pending = new Map<number, { resolve(): void; reject(error: Error): void }>();
  const inFlight: Promise<void>[] = [];
  let nextId = 0;
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.on('message', (result: WriteResult) => {
    const waiter = pending.get(result.id);
    pending.delete(result.id);
    if ('error' in result) {
      waiter?.reject(new Error(`product write failed: ${result.error}`));
      return;
    }
    counts.created += result.created;
    counts.updated += result.updated;
    waiter?.resolve();
  });
  worker.on('error', failAll);
  worker.on('exit', () => failAll(new Error('the product writer stopped')));

  return {
    async write(rows) {
      if (failure) throw failure;
      if (rows.length === 0) return;
      const request: WriteRequest = { id: nextId++, rows: lastPerProduct(rows) };
      inFlight.push(
        new Promise<void>((resolve, reject) => {
          pending.set(request.id, { resolve, reject });
        }),
      );
      worker.postMessage(request);
      // Bounded: at most two writes queued behind the worker, so memory stays flat.
      if (inFlight.length >= MAX_WRITES_IN_FLIGHT) await inFlight.shift();
    },
    async finish() {
      try {
        await Promise.all(inFlight.splice(0));
        return counts;
      } finally {
        worker.removeAllListeners('exit');
        await worker.terminate();
      }
    },
  };
}
