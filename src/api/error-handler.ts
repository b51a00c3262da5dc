import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type ErrorCode, errorStatus, isAppError } from '../errors.js';
import { describeIssues } from '../lib/parse-input.js';

export type ErrorBody = { error: { code: ErrorCode; message: string } };

// Fastify's own request errors, mapped to our codes so clients see one error shape.
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_body',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed_body',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
};

/** SQLITE_BUSY and its kinds (SQLITE_BUSY_SNAPSHOT, …): a write that may simply be retried. */
function isDatabaseBusy(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

/** The longest path segment a route takes (Fastify's `maxParamLength`). */
export const MAX_PARAM_LENGTH = 200;

/**
 * Fastify's errors raised before routing (its `frameworkErrors` option): a path that is not
 * valid percent-encoding, and a path segment over the router's limit, in our error shape.
 */
export function frameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return reply
      .code(errorStatus.uri_too_long)
      .send(
        errorBody('uri_too_long', `a segment of the path is over ${MAX_PARAM_LENGTH} characters`),
      );
  if (error.code === 'FST_ERR_BAD_URL')
    return reply
      .code(errorStatus.invalid_request)
      .send(errorBody('invalid_request', 'the path is not valid percent-encoding'));
  request.log.error({ err: error }, 'unhandled framework error');
  return reply
    .code(500)
    .send(errorBody('internal_error', 'something went wrong on our side; it has been logged'));
}

/** Every error leaves as `{ "error": { "code", "message" } }`; only bugs are 500s. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isAppError(error))
      return reply.code(error.status).send(errorBody(error.code, error.message));
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({
        path: v.instancePath.split('/').filter(Boolean),
        message: v.message ?? 'invalid',
      }));
      const where = error.validationContext ?? 'request';
      return reply
        .code(400)
        .send(errorBody('invalid_request', `${where}: ${describeIssues(issues as never)}`));
    }
    const mapped = error.code ? fastifyCodes[error.code] : undefined;
    if (mapped) return reply.code(errorStatus[mapped]).send(errorBody(mapped, error.message));
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(400).send(errorBody('invalid_request', error.message));
    }
    if (isDatabaseBusy(error)) {
      // SQLite's other writer (the click writer's thread, another process) held the lock
      // past busy_timeout, or moved the database on under a read that wanted to write:
      // nothing was written, and the same request succeeds when sent again.
      request.log.warn({ err: error }, 'database busy');
      return reply
        .code(503)
        .header('retry-after', '1')
        .send(errorBody('service_unavailable', 'the database is busy: send the request again'));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .code(500)
      .send(errorBody('internal_error', 'something went wrong on our side; it has been logged'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(
        errorBody(
          'route_not_found',
          `no route ${request.method} ${request.url.split('?')[0]?.slice(0, 200)}`,
        ),
      ),
  );
}
