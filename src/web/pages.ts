import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.js';
import { assetRoutes } from './pages/assets.js';
import { logInPages } from './pages/log-in.js';
import { signUpPages } from './pages/sign-up.js';
import { startPage } from './pages/start.js';
import type { WebOptions } from './plugin.js';

/** Every page of the portal and the console. */
export function webPages(web: FastifyInstance, ctx: Ctx, options: WebOptions): void {
  assetRoutes(web);
  startPage(web);
  signUpPages(web, ctx, options);
  logInPages(web, ctx, options);
}
