import fs from 'node:fs';
import type { Ctx } from '../context.js';
import { WorkerClient } from '../lib/worker-rpc.js';
import type { ClickWriteRequest } from './click-writer-worker.js';
import { UniqueWindow } from './unique-window.js';
import { type WriteOptions, writeClickLines } from './write-click-batch.js';

/** Where the recorder sends its batches: clicks as lines (click-line.ts). */
export interface ClickWriter {
  write(lines: Uint8Array, options?: WriteOptions): Promise<number>;
  close(): Promise<void>;
}

const workerScript = new URL('./click-writer-worker.js', import.meta.url);

/**
 * With the compiled worker present, clicks are written by a worker thread with its own
 * connection (a SQLite file, or PostgreSQL given its URL), so building and sending the
 * batches never runs on the thread that answers redirects. In-memory test databases are
 * written in-process.
 */
export async function openClickWriter(
  ctx: Ctx,
  options: { useWorker: boolean; databaseUrl?: string | undefined },
): Promise<ClickWriter> {
  const target = options.databaseUrl
    ? { databaseUrl: options.databaseUrl }
    : ctx.sqliteFile
      ? { file: ctx.sqliteFile }
      : undefined;
  if (options.useWorker && target && fs.existsSync(workerScript)) {
    const worker = new WorkerClient<ClickWriteRequest, number>(workerScript, {
      ...target,
      now: ctx.clock.now().toISOString(),
    });
    return {
      write: (lines, writeOptions = {}) => worker.call({ lines, options: writeOptions }),
      close: () => worker.close(),
    };
  }
  const window = new UniqueWindow();
  await window.warm(ctx.db, ctx.clock.now());
  return {
    write: (lines, writeOptions) => writeClickLines(ctx, window, lines, writeOptions),
    close: async () => {},
  };
}
