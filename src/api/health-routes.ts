import { sql } from 'kysely';
import { z } from 'zod';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import type { App } from '../server.js';
import { errorResponses } from './schemas.js';

export function healthRoutes(app: App, ctx: Ctx): void {
  // GET /healthz — the process is up and its database answers
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Health check',
        tags: ['system'],
        response: { 200: z.object({ status: z.literal('ok') }), ...errorResponses(503) },
      },
    },
    async () => {
      try {
        await sql`select 1`.execute(ctx.db);
      } catch {
        throw new AppError('service_unavailable', 'the database does not answer');
      }
      return { status: 'ok' as const };
    },
  );
}
