import { describePageFuzz } from '../test/fuzz-pages-suite.js';
import { documentOperations } from '../test/fuzz-run.js';

// Issue 9: the portal's forms under malformed posts, sent with the session's CSRF token so
// that each form's own checks are reached (see fuzz.test.ts).
describePageFuzz('malformed posts to the portal forms', await documentOperations('forms'));
