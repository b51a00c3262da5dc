import fs from 'node:fs';
import type { Ctx } from '../context.js';
import { WorkerClient } from '../lib/worker-rpc.js';
import {
  dropProductIndexes,
  restoreProductIndexes,
  shouldDropProductIndexes,
} from './product-indexes.js';
import type { WriteRequest, WriteResult } from './product-writer-worker.js';
import { MAX_UPSERT_BATCH, upsertProductRows } from './upsert-products.js';

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
 * they run in-process through the same upsert that every other caller uses. An import of
 * `expectedRows` large against the table runs in bulk mode: without the secondary indexes,
 * which `finish` builds again (and the next start, should the process die first).
 */
export async function openProductWriter(
  ctx: Ctx,
  options: { useWorker: boolean; expectedRows: number },
): Promise<ProductWriter> {
  const stored = await ctx.db
    .selectFrom('products')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .executeTakeFirstOrThrow();
  const bulk = shouldDropProductIndexes(options.expectedRows, Number(stored.n));
  if (bulk) await dropProductIndexes(ctx.db);
  const writer =
    options.useWorker && ctx.sqliteFile && fs.existsSync(workerScript)
      ? workerWriter(ctx.sqliteFile)
      : inProcessWriter(ctx);
  return {
    write: (rows) => writer.write(rows),
    async finish() {
      try {
        return await writer.finish();
      } finally {
        // Also after a failed import: a clean stop never leaves the indexes missing.
        if (bulk) await restoreProductIndexes(ctx.db);
      }
    },
  };
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
  const worker = new WorkerClient<WriteRequest, WriteResult>(workerScript, { file });
  const counts: WriteCounts = { created: 0, updated: 0 };
  const inFlight: Promise<void>[] = [];
  return {
    async write(rows) {
      if (rows.length === 0) return;
      inFlight.push(
        // upsertProductRows keeps the last row of a product id repeated within a statement.
        worker.call({ rows: rows as unknown[][] }).then((written) => {
          counts.created += written.created;
          counts.updated += written.updated;
        }),
      );
      // Bounded: at most two writes queued behind the worker, so memory stays flat.
      if (inFlight.length >= MAX_WRITES_IN_FLIGHT) await inFlight.shift();
    },
    async finish() {
      try {
        await Promise.all(inFlight.splice(0));
        return counts;
      } finally {
        await worker.close();
      }
    },
  };
}
