import { describePageFuzz } from '../test/fuzz-pages-suite.js';
import { documentOperations } from '../test/fuzz-run.js';

// Issue 9: the operator console's pages under malformed requests (see fuzz.test.ts); its
// forms are in fuzz-console-forms.test.ts.
describePageFuzz('malformed requests to the console pages', await documentOperations('console'));
