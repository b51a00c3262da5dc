import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SESSION_COOKIE, SESSION_SECONDS, startSession } from '../../auth/sessions.js';
import type { Ctx } from '../../context.js';
import { AppError, isAppError } from '../../errors.js';
import { findSellerInvite } from '../../sellers/find-invite.js';
import { acceptSellerInvite } from '../../sellers/invite-seller.js';
import { emptyForm, type FormState, field, formMessage, parseForm } from '../forms.js';
import { html } from '../html.js';
import { csrfField, page } from '../layout.js';
import { cookieOptions, seeOther, sendHtml, type WebOptions } from '../plugin.js';

const passwordForm = z
  .object({
    password: z.string().min(1, 'choose a password').max(200),
    confirm: z.string().max(200),
  })
  .refine((f) => f.password === f.confirm, {
    path: ['confirm'],
    message: 'the two passwords differ: type the same one twice',
  });

type Invite = { Params: { token: string } };

const gone = () =>
  new AppError(
    'invalid_invite',
    'This invitation is unknown, used or expired: ask the operator for a new one.',
  );

/** GET|POST /seller/invite/:token — an invited seller sets its password and is logged in. */
export function invitePages(web: FastifyInstance, ctx: Ctx, options: WebOptions): void {
  const show = (
    csrf: string,
    token: string,
    who: { sellerName: string; email: string },
    state: FormState,
  ) =>
    page(
      { title: 'Set your password', csrf },
      html`<section class="panel narrow">
<h1>Your seller center</h1>
<p>You were invited to the seller center of <strong>${who.sellerName}</strong> as <strong>${who.email}</strong>. Choose a password (at least 10 characters) to log in.</p>
<form method="post" action="/seller/invite/${token}" novalidate>
${csrfField(csrf)}
${formMessage(state)}
${field('password', 'Password', state, { type: 'password', autocomplete: 'new-password', required: true })}
${field('confirm', 'The same password again', state, { type: 'password', autocomplete: 'new-password', required: true })}
<button type="submit">Set password and log in</button>
</form>
</section>`,
    );

  // GET /seller/invite/:token — the set-password form, or a 404 page for a link that does not work
  web.get<Invite>('/seller/invite/:token', async (request, reply) => {
    const invite = await findSellerInvite(ctx, request.params.token);
    if (!invite) throw gone();
    return sendHtml(reply, show(request.webCsrf, request.params.token, invite, emptyForm));
  });

  // POST /seller/invite/:token — set the password, start a session, go to the seller center
  web.post<Invite>('/seller/invite/:token', async (request, reply) => {
    const { token } = request.params;
    const invite = await findSellerInvite(ctx, token);
    if (!invite) throw gone();
    const form = parseForm(passwordForm, request.body);
    if (!form.ok) return sendHtml(reply, show(request.webCsrf, token, invite, form.state), 422);
    let accepted: { userId: string };
    try {
      accepted = await acceptSellerInvite(ctx, token, form.data.password);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'invalid_request') throw error;
      const state = { values: {}, errors: { password: error.message.replace(/^[^:]*: /, '') } };
      return sendHtml(reply, show(request.webCsrf, token, invite, state), 422);
    }
    const { token: session } = await startSession(ctx, accepted.userId);
    reply.setCookie(SESSION_COOKIE, session, cookieOptions(options, SESSION_SECONDS));
    return seeOther(reply, '/seller');
  });
}
