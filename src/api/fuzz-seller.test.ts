import { describeRestFuzz } from '../test/fuzz-rest-suite.js';
import { documentOperations } from '../test/fuzz-run.js';

// Issue 10: the seller API (/api/seller/v1) under malformed requests, with a valid seller
// key most of the time so that requests get past the door (see fuzz.test.ts).
describeRestFuzz('malformed requests to the seller API', await documentOperations('seller'));
