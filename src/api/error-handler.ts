import type { FastifyError, FastifyInstance } from 'fastify';
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

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
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
