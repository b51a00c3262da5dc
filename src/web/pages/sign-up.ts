import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { signUp } from '../../affiliates/sign-up.js';
import { SESSION_COOKIE, SESSION_SECONDS, startSession } from '../../auth/sessions.js';
import type { Ctx } from '../../context.js';
import { isAppError } from '../../errors.js';
import { RateLimiter } from '../../lib/rate-limiter.js';
import { emptyForm, type FormState, field, formMessage, parseForm } from '../forms.js';
import { html } from '../html.js';
import { csrfField, page } from '../layout.js';
import { cookieOptions, sendHtml, type WebOptions } from '../plugin.js';

// The form's own checks, with the words a person reads; signUp checks again.
const signUpForm = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email('enter a valid email address')),
  password: z.string().min(10, 'use at least 10 characters').max(200, 'use at most 200 characters'),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'two letters, e.g. DE or US'),
  websiteUrl: z
    .string()
    .trim()
    .max(500)
    .pipe(
      z.url({ protocol: /^https?$/, error: 'the address of your site, starting with https://' }),
    ),
});

/** GET|POST /signup — an affiliate joins the program and is logged in at once. */
export function signUpPages(web: FastifyInstance, ctx: Ctx, options: WebOptions): void {
  // Per address: 5 sign-ups, then one a minute.
  const byAddress = new RateLimiter({ perSecond: 1 / 60, burst: 5 });

  const show = (csrf: string, state: FormState) =>
    page(
      { title: 'Join the program', csrf },
      html`<section class="panel narrow">
<h1>Join the program</h1>
<p>Promote the marketplace's products with your own links and earn a share of every sale you bring.</p>
<form method="post" action="/signup" novalidate>
${csrfField(csrf)}
${formMessage(state)}
${field('email', 'Email', state, { type: 'email', autocomplete: 'email', required: true })}
${field('password', 'Password', state, { type: 'password', autocomplete: 'new-password', required: true, hint: 'At least 10 characters.' })}
${field('country', 'Country', state, { autocomplete: 'country', required: true, hint: 'Two letters, e.g. DE.' })}
${field('websiteUrl', 'Your website or channel', state, { type: 'url', required: true, placeholder: 'https://' })}
<button type="submit">Create my account</button>
</form>
<p>Already a member? <a href="/login">Log in</a>.</p>
</section>`,
    );

  // GET /signup — the sign-up form
  web.get('/signup', async (request, reply) => sendHtml(reply, show(request.webCsrf, emptyForm)));

  // POST /signup — open the account, start a session
  web.post('/signup', async (request, reply) => {
    const form = parseForm(signUpForm, request.body);
    if (!form.ok) return sendHtml(reply, show(request.webCsrf, form.state), 422);
    if (!byAddress.take(request.ip, ctx.clock.now().getTime())) {
      const state = {
        values: form.values,
        errors: {},
        message: 'Too many sign-ups from your address. Try again in a minute.',
      };
      return sendHtml(reply, show(request.webCsrf, state), 429);
    }
    let account: Awaited<ReturnType<typeof signUp>>;
    try {
      account = await signUp(ctx, form.data);
    } catch (error) {
      if (isAppError(error) && error.code === 'email_taken') {
        const state = {
          values: form.values,
          errors: { email: 'this email already has an account — log in instead' },
        };
        return sendHtml(reply, show(request.webCsrf, state), 422);
      }
      throw error;
    }
    const { token } = await startSession(ctx, account.userId);
    reply.setCookie(SESSION_COOKIE, token, cookieOptions(options, SESSION_SECONDS));
    return reply.code(303).header('location', '/dashboard?welcome=1').send();
  });
}
