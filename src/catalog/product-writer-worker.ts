import { workerData } from 'node:worker_threads';
import { inTransaction } from '../context.js';
import { connect } from '../db/connection.js';
import { serveRequests } from '../lib/worker-rpc.js';
import { MAX_UPSERT_BATCH, upsertProductRows } from './upsert-products.js';

// The writing half of a large SQLite import, on its own thread and connection: SQLite's
// B-tree work then runs beside the reading and checking instead of after it.
export type WriteRequest = { rows: unknown[][] };
export type WriteResult = { created: number; updated: number };

const connection = connect({ sqliteFile: (workerData as { file: string }).file });

serveRequests<WriteRequest, WriteResult>(
  ({ rows }) =>
    // Several statements, one transaction: fewer commits, fewer WAL writes.
    inTransaction(connection, async (tx) => {
      const counts = { created: 0, updated: 0 };
      for (let start = 0; start < rows.length; start += MAX_UPSERT_BATCH) {
        const written = await upsertProductRows(tx, rows.slice(start, start + MAX_UPSERT_BATCH));
        counts.created += written.created;
        counts.updated += written.updated;
      }
      return counts;
    }),
  () => connection.close(),
);
