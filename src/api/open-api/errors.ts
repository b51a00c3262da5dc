/**
 * An error in the Open API's own shape: `{"error_response":{"type","code","msg",
 * "request_id"}}`, always with HTTP 200 as the platform answers. ISV is the caller's error,
 * ISP the backend's, SYSTEM the platform's.
 */
export class OpenApiError extends Error {
  readonly type: 'ISV' | 'ISP' | 'SYSTEM';
  readonly code: string;
  constructor(code: string, message: string, type: 'ISV' | 'ISP' | 'SYSTEM' = 'ISV') {
    super(message);
    this.name = 'OpenApiError';
    this.code = code;
    this.type = type;
  }
}

export const missing = (name: string) =>
  new OpenApiError('MissingParameter', `Missing required parameter: ${name}`);
export const invalid = (name: string, why: string) =>
  new OpenApiError('InvalidParameter', `Invalid parameter ${name}: ${why}`);
