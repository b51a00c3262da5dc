import type { Ctx } from '../../context.js';
import type { Params } from './params.js';

/** What a method is handed: the caller (from its app_key) and its parameters. */
export type OpenApiCall = {
  ctx: Ctx;
  affiliateId: string;
  params: Params;
  now: Date;
  /** Where promotion links point: the server's public address. */
  baseUrl: string;
};

/**
 * A business method of the Open API. `handle` returns the `result` object, or null for an
 * empty result (answered with resp_code 405, "The result is empty"); it throws
 * OpenApiError (or AppError, turned into InvalidParameter) for a bad request.
 */
export type OpenApiMethod = {
  name: string;
  handle(call: OpenApiCall): Promise<Record<string, unknown> | null>;
};
