import { describePageFuzz } from '../test/fuzz-pages-suite.js';
import { documentOperations } from '../test/fuzz-run.js';

// Issue 9: the operator console's forms under malformed posts, with the operator's session
// and CSRF token so that each form's checks are reached (see fuzz.test.ts).
describePageFuzz('malformed posts to the console forms', await documentOperations('console-forms'));
