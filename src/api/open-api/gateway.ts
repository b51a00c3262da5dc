import { randomBytes } from 'node:crypto';
import { findApiCredentials } from '../../affiliates/api-credentials.js';
import type { Ctx } from '../../context.js';
import { isAppError } from '../../errors.js';
import type { RateLimiter } from '../../lib/rate-limiter.js';
import { OpenApiError } from './errors.js';
import type { OpenApiMethod } from './method.js';
import { type Params, parsePlatformTime } from './params.js';
import { SIGN_METHODS, type SignMethod, signatureMatches } from './sign.js';

export const TIMESTAMP_WINDOW_MS = 7200 * 1000;

export type Gateway = {
  ctx: Ctx;
  methods: ReadonlyMap<string, OpenApiMethod>;
  limiter: RateLimiter;
  baseUrl: string;
  /** A monotonic clock in ms for the rate limiter. */
  monotonicMs(): number;
};

/**
 * One call of the Open API, checked as the platform checks it: a known method, a known
 * app_key, a timestamp within 7200 s of now, the signature, then the caller's call rate;
 * then the method runs for the affiliate behind the app_key. Always a JSON body: the
 * method's envelope, or `error_response`.
 */
export async function callOpenApi(gateway: Gateway, params: Params): Promise<unknown> {
  const requestId = randomBytes(8).toString('hex');
  try {
    const result = await run(gateway, params);
    const envelope = `${(params.method as string).replaceAll('.', '_')}_response`;
    const respResult =
      result === null
        ? { resp_code: 405, resp_msg: 'The result is empty' }
        : { resp_code: 200, resp_msg: 'call succeeds', result };
    return { [envelope]: { resp_result: respResult, request_id: requestId } };
  } catch (error) {
    const e = toOpenApiError(error, gateway);
    return {
      error_response: { type: e.type, code: e.code, msg: e.message, request_id: requestId },
    };
  }
}

async function run(gateway: Gateway, params: Params): Promise<Record<string, unknown> | null> {
  const { ctx } = gateway;
  for (const name of ['method', 'app_key', 'timestamp', 'sign'])
    if (!params[name])
      throw new OpenApiError('MissingParameter', `Missing required parameter: ${name}`);
  // PostgreSQL refuses a NUL in text: an app_key or keyword with one failed the lookup
  // (ServiceUnavailable). No parameter has a use for it.
  for (const [name, value] of Object.entries(params))
    if (name.includes('\0') || value.includes('\0'))
      throw new OpenApiError('InvalidParameter', `Invalid parameter ${name}: a NUL character`);
  const method = gateway.methods.get(params.method as string);
  if (!method) throw new OpenApiError('InvalidApiPath', `Unknown method ${params.method}`);
  const signMethod = (params.sign_method ?? 'md5') as SignMethod;
  if (!SIGN_METHODS.includes(signMethod))
    throw new OpenApiError(
      'InvalidParameter',
      `Invalid sign_method ${signMethod}: md5, hmac or sha256`,
    );
  const now = ctx.clock.now();
  const timestamp = params.timestamp as string;
  const at = /^\d{13}$/.test(timestamp)
    ? new Date(Number(timestamp))
    : parsePlatformTime(timestamp);
  if (!at)
    throw new OpenApiError(
      'InvalidTimestamp',
      'timestamp is neither yyyy-MM-dd HH:mm:ss (GMT+8) nor epoch milliseconds',
    );
  if (Math.abs(at.getTime() - now.getTime()) > TIMESTAMP_WINDOW_MS)
    throw new OpenApiError(
      'InvalidTimestamp',
      'timestamp is more than 7200 seconds away from the server time',
    );
  const credentials = await findApiCredentials(ctx.db, ctx.secrets, params.app_key as string);
  if (!credentials)
    throw new OpenApiError('InvalidAppKey', `app_key ${params.app_key} is not known`);
  if (!signatureMatches(params, credentials.appSecret, signMethod, params.sign as string))
    throw new OpenApiError(
      'IncompleteSignature',
      'The request signature does not conform to platform standards',
    );
  if (!gateway.limiter.take(params.app_key as string, gateway.monotonicMs()))
    throw new OpenApiError(
      'ApiCallLimit',
      'Api access frequency exceeds the limit. this ban will last 1 seconds',
    );
  return method.handle({
    ctx,
    affiliateId: credentials.affiliateId,
    params,
    now,
    baseUrl: gateway.baseUrl,
  });
}

function toOpenApiError(error: unknown, gateway: Gateway): OpenApiError {
  if (error instanceof OpenApiError) return error;
  if (isAppError(error)) {
    if (error.status === 403) return new OpenApiError('InsufficientPermission', error.message);
    if (error.status < 500) return new OpenApiError('InvalidParameter', error.message);
  }
  gateway.ctx.log.error({ err: error }, 'open api call failed');
  return new OpenApiError(
    'ServiceUnavailable',
    'The service is unavailable; it has been logged',
    'ISP',
  );
}
