import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  LogController,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { affiliateRoutes } from './affiliates/routes.js';
import { trackingIdRoutes } from './affiliates/tracking-id-routes.js';
import { frameworkError, installErrorHandlers, MAX_PARAM_LENGTH } from './api/error-handler.js';
import { healthRoutes } from './api/health-routes.js';
import { refuseNulCharacters } from './api/nul-guard.js';
import { openApiRoutes } from './api/open-api/routes.js';
import { operatorRoutes } from './api/operator-routes.js';
import { productRoutes } from './catalog/routes.js';
import type { Ctx } from './context.js';
import { type DemoControls, demoRoutes } from './demo/routes.js';
import { fraudRoutes } from './fraud/routes.js';
import type { RateLimiter } from './lib/rate-limiter.js';
import { injectedPost, merchantClient } from './market/merchant-client.js';
import { marketRoutes } from './market/routes.js';
import { affiliateOrderRoutes } from './orders/affiliate-order-routes.js';
import { merchantRoutes } from './orders/routes.js';
import { accountRoutes } from './payouts/account-routes.js';
import { withdrawalRoutes } from './payouts/withdrawal-routes.js';
import { reportRoutes } from './reports/routes.js';
import { transportHeaders } from './security/transport-headers.js';
import { operatorSellerRoutes } from './sellers/operator-seller-routes.js';
import { sellerReportRoutes } from './sellers/report-routes.js';
import { sellerRoutes } from './sellers/routes.js';
import { storefrontRoutes } from './storefront/routes.js';
import { LinkCallLimit } from './tracking/link-call-limit.js';
import { linkRoutes } from './tracking/routes.js';
import { webPages } from './web/pages.js';
import { registerWebScope } from './web/plugin.js';
import { webhookRoutes } from './webhooks/routes.js';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export const BODY_LIMIT_BYTES = 1024 * 1024;
const VERSION = '0.1.0';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export type RouteEntry = { method: string; url: string };
const routeTables = new WeakMap<object, RouteEntry[]>();

/** Every route the app registered (method and URL pattern): what the isolation test walks. */
export function routeTable(app: App): readonly RouteEntry[] {
  return routeTables.get(app) ?? [];
}

/**
 * The HTTP app with every route; not listening yet (tests use `app.inject`). With a
 * redirect handler, `/c/…` requests go straight to it from node:http, ahead of Fastify's
 * routing, hooks and reply machinery: the redirect is the path all traffic takes.
 */
export async function buildApp(
  ctx: Ctx,
  options: {
    redirect?: RequestHandler;
    /** The secrets merchant events may be signed with; none: every merchant request is refused. */
    merchantSecrets?: readonly string[];
    /** Where promotion links point (AFFNET_PUBLIC_URL); tests use a fixed one. */
    publicBaseUrl?: string;
    /** The Open API's calls per app_key (tests make it small). */
    openApiLimiter?: RateLimiter;
    /** Demo mode: the clock `affnet simulate` moves, and its other controls. */
    demoControls?: DemoControls;
    /** Demo mode: the demo market at /market, signing its events with this merchant secret. */
    demoMarket?: { merchantSecret: string };
  } = {},
): Promise<App> {
  const { redirect } = options;
  const webOptions = {
    secureCookies: options.publicBaseUrl?.startsWith('https:') ?? false,
    baseUrl: options.publicBaseUrl ?? 'http://localhost',
    linkLimit: new LinkCallLimit(),
  };
  const app = Fastify({
    ...(redirect
      ? {
          serverFactory: (handler: RequestHandler) =>
            http.createServer((req, res) =>
              req.url?.startsWith('/c/') ? redirect(req, res) : handler(req, res),
            ),
        }
      : {}),
    loggerInstance: ctx.log as FastifyBaseLogger,
    // One log line per request would cost the redirect path more than the redirect itself.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkError,
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();
  const table: RouteEntry[] = [];
  routeTables.set(app, table);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) table.push({ method, url: route.url });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandlers(app);
  refuseNulCharacters(app);
  // nosniff on every answer, and HSTS when served over https (security/transport-headers.ts).
  const always = transportHeaders(webOptions.secureCookies);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(always);
    done();
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'affnet API',
        version: VERSION,
        description: 'The affiliate network engine: REST API.',
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });

  // GET /openapi.json — the OpenAPI 3.1 document, generated from the route schemas
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(async (web) => {
    await registerWebScope(web, ctx, webOptions);
    webPages(web, ctx, webOptions);
    const { demoMarket } = options;
    if (demoMarket) {
      // Its events go through the real endpoint in-process: signature, parser and all.
      const merchant = merchantClient(injectedPost(app), demoMarket.merchantSecret, ctx.clock);
      await marketRoutes(web, ctx, { ...webOptions, merchant });
    }
  });
  // The affiliates' public stores: no session, no cookies (src/storefront/routes.ts).
  await app.register(async (stores) => storefrontRoutes(stores, ctx, webOptions));

  healthRoutes(app, ctx);
  affiliateRoutes(app, ctx);
  merchantRoutes(app, ctx, options.merchantSecrets ?? []);
  accountRoutes(app, ctx);
  withdrawalRoutes(app, ctx);
  const baseUrl = options.publicBaseUrl ?? 'http://localhost';
  linkRoutes(app, ctx, baseUrl, webOptions.linkLimit);
  trackingIdRoutes(app, ctx);
  productRoutes(app, ctx);
  affiliateOrderRoutes(app, ctx);
  reportRoutes(app, ctx);
  sellerReportRoutes(app, ctx);
  operatorRoutes(app, ctx);
  operatorSellerRoutes(app, ctx, baseUrl);
  sellerRoutes(app, ctx);
  fraudRoutes(app, ctx);
  webhookRoutes(app, ctx);
  if (options.demoControls) demoRoutes(app, ctx, options.demoControls);
  openApiRoutes(app, ctx, {
    baseUrl,
    ...(options.openApiLimiter ? { limiter: options.openApiLimiter } : {}),
  });
  return app;
}
