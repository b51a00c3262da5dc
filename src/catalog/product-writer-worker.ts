import { parentPort, workerData } from 'node:worker_threads';
import { cachedStatement, sqliteUpsertText } from '../db/bulk-upsert.js';
import { openSqlite } from '../db/connection.js';
import { MAX_UPSERT_BATCH, productSpec } from './upsert-products.js';

// The writing half of a large SQLite import, on its own thread and connection: SQLite's
// B-tree work then runs beside the reading and checking instead of after it.
export type WriteRequest = { id: number; rows: unknown[][] };
export type WriteResult =
  | { id: number; created: number; updated: number }
  | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error('product-writer-worker runs as a worker thread');
const sqlite = openSqlite((workerData as { file: string }).file);

port.on('message', (request: WriteRequest | 'close') => {
  if (request === 'close') {
    sqlite.close();
    port.close();
    return;
  }
  try {
    let updated = 0;
    sqlite.transaction(() => {
      for (let start = 0; start < request.rows.length; start += MAX_UPSERT_BATCH) {
        const slice = request.rows.slice(start, start + MAX_UPSERT_BATCH);
        const ids = slice.map((row) => row[0]);
        const count = cachedStatement(
          sqlite,
          `select count(*) as n from products where product_id in (${ids.map(() => '?').join(',')})`,
        );
        updated += Number((count as unknown as { get(p: unknown[]): { n: bigint } }).get(ids).n);
        cachedStatement(sqlite, sqliteUpsertText(productSpec, slice.length)).run(slice.flat());
      }
    })();
    port.postMessage({
      id: request.id,
      created: request.rows.length - updated,
      updated,
    } satisfies WriteResult);
  } catch (error) {
    port.postMessage({
      id: request.id,
      error: error instanceof Error ? error.message : String(error),
    } satisfies WriteResult);
  }
});
