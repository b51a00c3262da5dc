import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.js';
import { consolePages } from './console/index.js';
import { assetRoutes } from './pages/assets.js';
import { bankAccountPages } from './pages/bank-account.js';
import { dashboardPage } from './pages/dashboard.js';
import { exportPages } from './pages/exports.js';
import { linkPages } from './pages/links.js';
import { logInPages } from './pages/log-in.js';
import { orderPages } from './pages/orders.js';
import { payoutPages } from './pages/payouts.js';
import { productPages } from './pages/products.js';
import { settingsPages } from './pages/settings.js';
import { signUpPages } from './pages/sign-up.js';
import { startPage } from './pages/start.js';
import { storePages } from './pages/stores.js';
import type { WebOptions } from './plugin.js';
import { sellerPages } from './seller/index.js';

/** Every page of the portal and the console. */
export function webPages(web: FastifyInstance, ctx: Ctx, options: WebOptions): void {
  assetRoutes(web);
  startPage(web);
  signUpPages(web, ctx, options);
  logInPages(web, ctx, options);
  dashboardPage(web, ctx);
  exportPages(web, ctx);
  linkPages(web, ctx, options);
  productPages(web, ctx);
  storePages(web, ctx, options);
  orderPages(web, ctx);
  payoutPages(web, ctx);
  bankAccountPages(web, ctx);
  settingsPages(web, ctx);
  consolePages(web, ctx, options);
  sellerPages(web, ctx, options);
}
