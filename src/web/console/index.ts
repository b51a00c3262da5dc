import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../context.js';
import type { WebOptions } from '../plugin.js';
import { affiliatePage } from './affiliate.js';
import { affiliateListPage } from './affiliates.js';
import { bankFileRoutes, resultsUpload } from './bank-files.js';
import { exportRoutes } from './exports.js';
import { flagPages } from './flags.js';
import { ledgerPage } from './ledger.js';
import { orderPage } from './order.js';
import { orderListPage } from './orders.js';
import { overviewPage } from './overview.js';
import { payoutPages } from './payouts.js';
import { programPages } from './program.js';
import { sellerPages } from './sellers.js';
import { storePage } from './store.js';
import { storeForms } from './store-forms.js';

/**
 * The operator console under /console: every route answers only an operator's session
 * (others are sent to log in) and calls the services the operator API and the CLI call.
 */
export function consolePages(web: FastifyInstance, ctx: Ctx, options: WebOptions): void {
  overviewPage(web, ctx);
  programPages(web, ctx);
  affiliateListPage(web, ctx);
  affiliatePage(web, ctx);
  sellerPages(web, ctx, options.baseUrl);
  storePage(web, ctx);
  storeForms(web, ctx);
  orderListPage(web, ctx);
  orderPage(web, ctx);
  flagPages(web, ctx);
  payoutPages(web, ctx);
  bankFileRoutes(web, ctx);
  exportRoutes(web, ctx);
  ledgerPage(web, ctx);
  // File uploads are parsed in this child scope only: nowhere else takes multipart bodies.
  void web.register(async (scope) => resultsUpload(scope, ctx));
}
