import { workerData } from 'node:worker_threads';
import { connect } from '../db/connection.js';
import { serveRequests } from '../lib/worker-rpc.js';
import type { ClickEvent } from './click.js';
import { UniqueWindow } from './unique-window.js';
import { type WriteOptions, writeClickBatch } from './write-click-batch.js';

// The click writer's own thread and SQLite connection (see click-writer.ts).
export type ClickWriteRequest = { clicks: ClickEvent[]; options: WriteOptions };

const { file, now } = workerData as { file: string; now: string };
const connection = connect({ sqliteFile: file });
const window = new UniqueWindow();

serveRequests<ClickWriteRequest, number>(
  ({ clicks, options }) => writeClickBatch(connection, window, clicks, options),
  () => connection.close(),
  // Requests wait in line until the last hour of clicks is loaded.
  window.warm(connection.db, new Date(now)),
);
