import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { checkPassword } from '../../auth/check-password.js';
import { endSession, SESSION_COOKIE, SESSION_SECONDS, startSession } from '../../auth/sessions.js';
import type { Ctx } from '../../context.js';
import { RateLimiter } from '../../lib/rate-limiter.js';
import { emptyForm, type FormState, field, formMessage, parseForm } from '../forms.js';
import { safeNext } from '../guards.js';
import { html } from '../html.js';
import { csrfField, page } from '../layout.js';
import { cookieOptions, sendHtml, type WebOptions } from '../plugin.js';

const logInForm = z.object({
  email: z.string().trim().toLowerCase().min(1, 'enter your email').max(254),
  password: z.string().min(1, 'enter your password').max(200),
  next: z.string().max(500).optional(),
});

/** GET|POST /login, POST /logout — passwords checked with argon2id, attempts rate-limited. */
export function logInPages(web: FastifyInstance, ctx: Ctx, options: WebOptions): void {
  // Per address: 10 tries, then one every 6 s; per email: 5, then one a minute.
  const byAddress = new RateLimiter({ perSecond: 1 / 6, burst: 10 });
  const byEmail = new RateLimiter({ perSecond: 1 / 60, burst: 5 });

  const show = (csrf: string, state: FormState, next?: string) =>
    page(
      { title: 'Log in', csrf },
      html`<section class="panel narrow">
<h1>Log in</h1>
<form method="post" action="/login" novalidate>
${csrfField(csrf)}
${next ? html`<input type="hidden" name="next" value="${next}">` : ''}
${formMessage(state)}
${field('email', 'Email', state, { type: 'email', autocomplete: 'username', required: true })}
${field('password', 'Password', state, { type: 'password', autocomplete: 'current-password', required: true })}
<button type="submit">Log in</button>
</form>
<p>New here? <a href="/signup">Join the program</a>.</p>
</section>`,
    );

  // GET /login — the log-in form
  web.get('/login', async (request, reply) => {
    const next = safeNext((request.query as { next?: string }).next);
    return sendHtml(reply, show(request.webCsrf, emptyForm, next));
  });

  // POST /login — check the password, start a new session
  web.post('/login', async (request, reply) => {
    const form = parseForm(logInForm, request.body);
    if (!form.ok) return sendHtml(reply, show(request.webCsrf, form.state), 422);
    const { email, password, next } = form.data;
    const nowMs = ctx.clock.now().getTime();
    if (!byAddress.take(request.ip, nowMs) || !byEmail.take(email, nowMs)) {
      const state = {
        values: { email },
        errors: {},
        message: 'Too many attempts. Wait a minute, then try again.',
      };
      return sendHtml(reply, show(request.webCsrf, state, safeNext(next)), 429);
    }
    const user = await checkPassword(ctx, email, password);
    if (!user) {
      const state = {
        values: { email },
        errors: {},
        message: 'That email and password do not match an account.',
      };
      return sendHtml(reply, show(request.webCsrf, state, safeNext(next)), 422);
    }
    const { token } = await startSession(ctx, user.id);
    reply.setCookie(SESSION_COOKIE, token, cookieOptions(options, SESSION_SECONDS));
    const home =
      user.role === 'operator' ? '/console' : user.role === 'seller' ? '/seller' : '/dashboard';
    return reply
      .code(303)
      .header('location', safeNext(next) ?? home)
      .send();
  });

  // POST /logout — end the session
  web.post('/logout', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await endSession(ctx, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(303).header('location', '/login').send();
  });
}
