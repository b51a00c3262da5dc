import { z } from 'zod';
import { type ErrorCode, errorStatus } from '../errors.js';

const codes = Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]];

/** The body of every error response. */
export const errorResponse = z
  .object({ error: z.object({ code: z.enum(codes), message: z.string() }) })
  .meta({ id: 'Error' });

/** Error responses a route documents, by status. */
export function errorResponses(...statuses: number[]): Record<number, typeof errorResponse> {
  return Object.fromEntries(statuses.map((status) => [status, errorResponse]));
}

/** An amount in minor units: a JSON number while exact, else a decimal string. */
export const minorUnits = z.union([z.number().int(), z.string()]);
