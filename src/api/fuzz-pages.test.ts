import { describePageFuzz } from '../test/fuzz-pages-suite.js';
import { documentOperations } from '../test/fuzz-run.js';

// Issue 9: the portal's pages and the public stores (/s/…) under malformed requests: odd
// paths and queries, with and without a session (see fuzz.test.ts).
describePageFuzz(
  'malformed requests to the portal and store pages',
  await documentOperations('pages'),
);
