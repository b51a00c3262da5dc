import { timingSafeEqual } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findSession, newToken, SESSION_COOKIE, type WebSession } from '../auth/sessions.js';
import type { Ctx } from '../context.js';
import { isAppError } from '../errors.js';
import type { LinkCallLimit } from '../tracking/link-call-limit.js';
import { formValues } from './forms.js';
import { type Html, html } from './html.js';
import { page } from './layout.js';
import { pagesRefuseNul } from './nul-guard.js';

declare module 'fastify' {
  interface FastifyRequest {
    webSession: WebSession | null;
    /** The token this request's forms carry: the session's, or the visitor's cookie's. */
    webCsrf: string;
  }
}

export const CSRF_COOKIE = 'affnet_csrf';

export type WebOptions = {
  secureCookies: boolean;
  /** Where promotion links point (AFFNET_PUBLIC_URL). */
  baseUrl: string;
  /** Link requests per affiliate, shared with the REST API. */
  linkLimit: LinkCallLimit;
};

// Pages load only this origin's script and style; nothing may frame them.
export const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
} as const;

export function sendHtml(reply: FastifyReply, body: Html, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(body.value);
}

/** After a successful POST: see the result on a page that reloading does not post again. */
export function seeOther(reply: FastifyReply, location: string): FastifyReply {
  return reply.code(303).header('location', location).send();
}

export function cookieOptions(options: WebOptions, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: options.secureCookies,
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The browser side of affnet, in its own Fastify scope: form bodies and cookies, the
 * session of each request, the CSRF check of every POST, security headers, and errors
 * as pages rather than JSON.
 */
export async function registerWebScope(
  web: FastifyInstance,
  ctx: Ctx,
  options: WebOptions,
): Promise<void> {
  await web.register(fastifyCookie);
  await web.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  web.decorateRequest('webSession', null);
  web.decorateRequest('webCsrf', '');

  pagesRefuseNul(web);
  web.addHook('onRequest', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    request.webSession = token ? ((await findSession(ctx, token)) ?? null) : null;
    if (request.webSession) {
      request.webCsrf = request.webSession.csrfToken;
    } else {
      const visitor = request.cookies[CSRF_COOKIE];
      request.webCsrf = visitor && /^[A-Za-z0-9_-]{43}$/.test(visitor) ? visitor : newToken();
      if (visitor !== request.webCsrf)
        reply.setCookie(CSRF_COOKIE, request.webCsrf, cookieOptions(options));
    }
    reply.headers(SECURITY_HEADERS);
  });

  // The server's own time for every page, as the report API sends it: bench:reports reads it.
  web.addHook('onSend', async (_request, reply, payload) => {
    reply.header('server-timing', `app;dur=${reply.elapsedTime.toFixed(2)}`);
    return payload;
  });

  web.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST') return;
    const sent = formValues(request.body)._csrf ?? '';
    if (!sameToken(sent, request.webCsrf)) {
      return sendHtml(
        reply,
        errorPage(request, 'This form has expired', 'Reload the page and send the form again.'),
        403,
      );
    }
  });

  web.setErrorHandler((error: Error, request, reply) => {
    if (isAppError(error))
      return sendHtml(reply, errorPage(request, 'That did not work', error.message), error.status);
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500)
      return sendHtml(
        reply,
        errorPage(request, 'That request could not be read', (error as Error).message),
        400,
      );
    request.log.error({ err: error }, 'unhandled error on a page');
    return sendHtml(
      reply,
      errorPage(
        request,
        'Something went wrong on our side',
        'It has been logged. Try again in a moment.',
      ),
      500,
    );
  });
}

export function errorPage(request: FastifyRequest, title: string, message: string): Html {
  return page(
    { title, session: request.webSession, csrf: request.webCsrf },
    html`<section class="panel narrow"><h1>${title}</h1><p>${message}</p><p><a href="/">Back to the start</a></p></section>`,
  );
}
