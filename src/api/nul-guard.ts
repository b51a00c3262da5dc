import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

/** Values looked at per request: a body is at most 1 MiB, so this is plenty. */
const MAX_VISITS = 500_000;

/**
 * Whether a parsed value holds a NUL character in any string or key. Walks with its own
 * stack (a body may be nested 10,000 deep) and builds no paths: most requests have none.
 */
function hasNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  for (let visits = 0; stack.length > 0 && visits < MAX_VISITS; visits++) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\0')) return true;
    } else if (Array.isArray(v)) {
      for (const item of v)
        if (typeof item === 'string') {
          if (item.includes('\0')) return true;
        } else if (item !== null && typeof item === 'object') stack.push(item);
      visits += v.length;
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        if (k.includes('\0')) return true;
        stack.push(item);
      }
    }
  }
  return false;
}

/** Where the first NUL character is (`body.events.0.id`), or undefined; for the message only. */
export function findNul(value: unknown, where: string): string | undefined {
  if (!hasNul(value)) return undefined;
  const stack: [unknown, string][] = [[value, where]];
  for (let visits = 0; stack.length > 0 && visits < MAX_VISITS; visits++) {
    const [v, path] = stack.pop() as [unknown, string];
    if (typeof v === 'string' && v.includes('\0')) return path;
    if (v !== null && typeof v === 'object')
      for (const [k, item] of Object.entries(v)) {
        if (k.includes('\0')) return path;
        stack.push([item, `${path}.${k}`]);
      }
  }
  return where;
}

/**
 * PostgreSQL refuses a NUL character in text (the query fails: a 500) where SQLite stores
 * it. Every JSON API request (`/api/…`) with one in its path, query or body is refused at
 * the door with a 400, on both databases. The pages check their fields themselves
 * (web/console/inputs.ts) and the Open API answers in its own envelope (gateway.ts).
 */
export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (!request.routeOptions.url?.startsWith('/api/')) return;
    const where =
      findNul(request.params, 'path') ??
      findNul(request.query, 'querystring') ??
      findNul(request.body, 'body');
    if (where)
      throw new AppError('invalid_request', `${where}: a NUL character (\\u0000) is not allowed`);
  });
}
