import type { Ctx } from '../../context.js';
import { RateLimiter } from '../../lib/rate-limiter.js';
import type { App } from '../../server.js';
import { callOpenApi } from './gateway.js';
import { openApiMethods } from './methods/index.js';

const FORM_BODY_LIMIT_BYTES = 64 * 1024;
const MAX_PARAMS = 64;

/** One request's parameters: the query string and a form body together (the body wins). */
function paramsOf(query: unknown, body: unknown): Record<string, string> {
  const params: Record<string, string> = {};
  const add = (name: string, value: unknown) => {
    // A repeated parameter counts once, as its first value.
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string' && Object.keys(params).length < MAX_PARAMS) params[name] = first;
  };
  for (const [name, value] of Object.entries((query ?? {}) as Record<string, unknown>))
    add(name, value);
  if (typeof body === 'string')
    for (const [name, value] of new URLSearchParams(body)) add(name, value);
  return params;
}

/**
 * The AliExpress-compatible Open API at `/sync`: GET with a query string, or POST with
 * parameters in the query string and/or a form body. Every answer is HTTP 200 with the
 * platform's JSON, success or error (docs/open-api.md).
 */
export function openApiRoutes(
  app: App,
  ctx: Ctx,
  options: { baseUrl: string; limiter?: RateLimiter },
): void {
  const gateway = {
    ctx,
    methods: openApiMethods,
    limiter: options.limiter ?? new RateLimiter({ perSecond: 20, burst: 40 }),
    baseUrl: options.baseUrl,
    monotonicMs: () => performance.now(),
  };
  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT_BYTES },
      (_request, body, done) => done(null, body),
    );
    const schema = {
      summary: 'AliExpress affiliate Open API',
      description:
        'The AliExpress affiliate Open API (`method`, `app_key`, `timestamp`, `sign_method`, `sign` and the method’s parameters), signed with the affiliate’s app_secret. Always HTTP 200 with the platform’s JSON envelope or `error_response`.',
      tags: ['open-api'],
    };
    // GET /sync — an Open API call, parameters in the query string
    scope.get('/sync', { schema }, async (request) =>
      callOpenApi(gateway, paramsOf(request.query, undefined)),
    );
    // POST /sync — an Open API call, parameters in the query string and/or a form body
    scope.post('/sync', { schema }, async (request) =>
      callOpenApi(gateway, paramsOf(request.query, request.body)),
    );
  });
}
