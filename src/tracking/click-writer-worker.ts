import { workerData } from 'node:worker_threads';
import { connect } from '../db/connection.js';
import { serveRequests } from '../lib/worker-rpc.js';
import { UniqueWindow } from './unique-window.js';
import { type WriteOptions, writeClickLines } from './write-click-batch.js';

// The click writer's own thread and SQLite connection (see click-writer.ts).
export type ClickWriteRequest = { lines: Uint8Array; options: WriteOptions };

const { file, databaseUrl, now } = workerData as {
  file?: string;
  databaseUrl?: string;
  now: string;
};
const connection = connect(
  databaseUrl ? { databaseUrl, pgPoolSize: 2 } : { sqliteFile: file as string },
);
// Clicks are appended at the end of one B-tree: a small page cache holds the pages it
// touches, and the server's memory stays below the redirect benchmark's 250 MB.
connection.sqlite?.pragma('cache_size = -8192');
const window = new UniqueWindow();

serveRequests<ClickWriteRequest, number>(
  ({ lines, options }) => writeClickLines(connection, window, lines, options),
  () => connection.close(),
  // Requests wait in line until the last hour of clicks is loaded.
  window.warm(connection.db, new Date(now)),
);
