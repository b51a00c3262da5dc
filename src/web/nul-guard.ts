import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

const hasNul = (value: unknown): boolean =>
  typeof value === 'string' ? value.includes('\0') : Array.isArray(value) && value.some(hasNul);

/**
 * PostgreSQL refuses a NUL character in text (the query fails: a 500) where SQLite takes
 * it. In a scope of pages, a path with one names nothing (a 404 page, as `pathId` answers)
 * and a query value with one is dropped (as `queryText` drops it); form fields are each
 * form's own to check (`storable`).
 */
export function pagesRefuseNul(scope: FastifyInstance): void {
  scope.addHook('preValidation', async (request) => {
    if (Object.values((request.params ?? {}) as object).some(hasNul))
      throw new AppError('route_not_found', 'There is no page at this address.');
    const query = (request.query ?? {}) as Record<string, unknown>;
    for (const [name, value] of Object.entries(query))
      if (name.includes('\0') || hasNul(value)) delete query[name];
  });
}
