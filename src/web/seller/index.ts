import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../context.js';
import type { WebOptions } from '../plugin.js';
import { apiKeyPages } from './api-keys.js';
import { importPage, importUploads } from './import.js';
import { invitePages } from './invite.js';
import { orderPages } from './orders.js';
import { overviewPages } from './overview.js';
import { productPages } from './product.js';
import { productListPage } from './products.js';
import { ratePages } from './rates.js';
import { reportPages } from './reports.js';
import { statementPages } from './statement.js';

/** Every page of the seller center at /seller: each acts for the seller of the session. */
export function sellerPages(web: FastifyInstance, ctx: Ctx, options: WebOptions): void {
  invitePages(web, ctx, options);
  overviewPages(web, ctx);
  productListPage(web, ctx);
  productPages(web, ctx);
  ratePages(web, ctx);
  importPage(web);
  reportPages(web, ctx);
  orderPages(web, ctx);
  statementPages(web, ctx);
  apiKeyPages(web, ctx);
  // The rates file's multipart parser lives in this child scope only.
  void web.register(async (scope) => importUploads(scope, ctx));
}
