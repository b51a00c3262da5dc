import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';

const PUBLIC_DIR = new URL('../../../public/', import.meta.url);
const TYPES: Record<string, string> = {
  'portal.css': 'text/css; charset=utf-8',
  'portal.js': 'text/javascript; charset=utf-8',
  'market.css': 'text/css; charset=utf-8',
};

/** GET /assets/:name — the stylesheet and the script, read once, revalidated by ETag. */
export function assetRoutes(web: FastifyInstance): void {
  publicFiles(web, '/assets', TYPES);
}

/** GET <prefix>/:name — these files of public/ (name → content type), as assetRoutes serves its own. */
export function publicFiles(
  web: FastifyInstance,
  prefix: string,
  types: Record<string, string>,
): void {
  const files = new Map(
    Object.entries(types).map(([name, type]) => {
      const body = fs.readFileSync(new URL(name, PUBLIC_DIR));
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
      return [name, { body, type, etag }] as const;
    }),
  );
  web.get<{ Params: { name: string } }>(`${prefix}/:name`, async (request, reply) => {
    const file = files.get(request.params.name);
    if (!file) return reply.code(404).type('text/plain').send('no such asset');
    reply.header('etag', file.etag).header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
    return reply.type(file.type).send(file.body);
  });
}
