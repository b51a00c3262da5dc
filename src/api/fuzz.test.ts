import { describeRestFuzz } from '../test/fuzz-rest-suite.js';
import { documentOperations } from '../test/fuzz-run.js';

// Issue 9: every operation of the OpenAPI document gets FUZZ_RUNS malformed requests
// (src/test/malformed*.ts), split by part of the app so that each file stays short (the
// split is fuzzSuiteOf in src/test/fuzz-run.ts): this file the affiliate REST API;
// fuzz-operator the operator and merchant APIs; fuzz-open-api the Open API gateway;
// fuzz-pages and fuzz-forms the portal and the public stores; fuzz-console and
// fuzz-console-forms the operator console.
describeRestFuzz('malformed requests to the affiliate REST API', await documentOperations('api'));
