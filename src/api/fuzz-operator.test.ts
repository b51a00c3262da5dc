import { describeRestFuzz } from '../test/fuzz-rest-suite.js';
import { documentOperations } from '../test/fuzz-run.js';

// Issue 9: the operator API, the merchant events endpoint and /healthz under malformed
// requests (see fuzz.test.ts).
describeRestFuzz(
  'malformed requests to the operator and merchant APIs',
  await documentOperations('operator'),
);
