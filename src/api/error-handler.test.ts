import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { installErrorHandlers } from './error-handler.js';

/** A bare app with the error handlers and one route that throws what it is given. */
async function appThrowing(error: unknown) {
  const app = Fastify({ logger: false });
  installErrorHandlers(app);
  app.get('/boom', async () => {
    throw error;
  });
  await app.ready();
  return app;
}

describe('error handler', () => {
  it('answers a busy SQLite database with 503 and Retry-After, not 500', async () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT']) {
      const app = await appThrowing(Object.assign(new Error('database is locked'), { code }));
      const res = await app.inject('/boom');
      expect([res.statusCode, res.headers['retry-after'], res.json().error.code]).toEqual([
        503,
        '1',
        'service_unavailable',
      ]);
      await app.close();
    }
  });

  it('answers an AppError with its status and a bug with a 500 that says nothing of it', async () => {
    const refused = await appThrowing(new AppError('store_not_found', 'no store x'));
    expect((await refused.inject('/boom')).statusCode).toBe(404);
    const bug = await appThrowing(new TypeError('secret detail'));
    const res = await bug.inject('/boom');
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret detail');
    await Promise.all([refused.close(), bug.close()]);
  });
});
